"""`factdb diff`: what a change to the seeds does to the database, between git revisions."""
