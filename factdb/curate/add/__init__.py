"""`factdb add`: writing new records into the seeds, checked before anything is written."""
