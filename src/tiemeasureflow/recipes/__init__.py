"""Recipes: inspection plans with copy-on-write versions, tasks and subtasks."""
