"""Who is calling (the principal) and what the audit trail records of them (the actor): below auth, users and audit."""
