"""The notifications use cases, one module per aggregate: called alike by the views, the consumer and the worker's
dispatcher, each with the unit of work first (decision 0100)."""
