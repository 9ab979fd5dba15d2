"""The API's endpoints, one module per resource; api.urls registers them on the router."""
