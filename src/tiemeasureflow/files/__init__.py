"""Uploaded drawings and documents: stored under the upload folder, tracked in the database."""
