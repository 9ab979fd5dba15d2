"""The REST API for integrations: tokens, endpoints over the same scoping as the pages, the OpenAPI schema,
and signed webhooks."""
