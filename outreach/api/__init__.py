"""The landlord notice API (FORMATS.md §2): the routes, the service that stores a request's notices, the
landlords' keys and the OpenAPI document. Uses only `outreach.notices` below it."""
