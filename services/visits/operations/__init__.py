"""The visits service's use cases, one module per aggregate: each takes the unit of work and plain values,
applies the domain's rules, and records the change with its events and audit record (docs/architecture.md).
Views, event handlers and periodic tasks all call these."""
