"""HTTP plumbing: problem details, authentication, the service app factory, pagination, idempotency."""
