"""The event bus: CloudEvents envelope, topology, transactional outbox and its relay, idempotent consumers."""
