"""The OpenAPI 3.1 document of the landlord notice API, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from outreach.notices.parse import ALIASES, COLUMNS, FIELD_LIMITS

_DESCRIPTIONS = {
    "typ": "uppsägning, störning, avhysning or övrigt", "referens": "the sender's own reference",
    "hyresvard": "landlord name", "hyresvard_orgnr": "organisation number", "hyresvard_kontakt": "contact",
    "hyresgast_namn": "tenant name", "personnummer": "10 or 12 digits, with or without separator",
    "adress": "street address of the flat", "postnummer": "five digits, spaces allowed", "ort": "town",
    "lagenhetsnummer": "flat number", "lagenhet_storlek": "e.g. 2 rok, 54 m²",
    "skuld_kr": "amount to pay to keep the tenancy, as written (required for uppsägning)",
    "uppsagning_datum": "date of termination (required for uppsägning and störning)",
    "delgiven_datum": "date the tenant was served", "inkom_datum": "date received (default: today)",
    "avhysning_datum": "eviction date, optionally with time: 2026-12-08 09:00 (required for avhysning)",
    "barn_i_hushallet": "ja, nej or okänt", "sprak": "language code", "skyddad_identitet": "ja if protected",
    "rattelse_av": "referens of the earlier notice this one corrects",
    "tolk": "ja if the tenant needs an interpreter (in sprak when given), nej if not; empty or okänt if unknown",
}


def document() -> dict[str, Any]:
    """The document (built from the same column list the importer reads)."""
    english = {canonical: alias for alias, canonical in ALIASES.items()}
    properties = {column: {"type": "string", "maxLength": FIELD_LIMITS[column],
                           "description": _DESCRIPTIONS.get(column, "") +
                           (f" (alias: {english[column]})" if column in english else "")} for column in COLUMNS}
    notice = {"type": "object", "required": ["typ", "referens", "hyresvard", "hyresgast_namn", "adress",
                                             "postnummer", "ort"], "properties": properties}
    error = {"type": "object", "properties": {"error": {"type": "string"}, "items": {"type": "array", "items": {
        "type": "object", "properties": {"index": {"type": "integer"},
                                         "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}}}
    result = {"type": "object", "properties": {
        "created": {"type": "array", "items": {"type": "integer"}},
        "repeats": {"type": "array", "items": {"type": "integer"}},
        "items": {"type": "array", "items": {"type": "object", "properties": {
            "index": {"type": "integer"}, "id": {"type": "integer"},
            "status": {"type": "string", "enum": ["created", "repeat", "correction"]}}}}}}
    json_of = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Underrättelser om risk för vräkning", "version": "1.0.0",
                 "description": "Landlords and Kronofogden send notices to the social welfare board. "
                                "Each organisation gets its own key from an administrator."},
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Notice": notice, "Error": error, "Result": result},
        },
        "security": [{"bearer": []}],
        "paths": {"/api/v1/notices": {"post": {
            "summary": "Send one notice or a list of notices",
            "operationId": "postNotices",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [
                {"$ref": "#/components/schemas/Notice"},
                {"type": "array", "items": {"$ref": "#/components/schemas/Notice"}, "minItems": 1,
                 "maxItems": 1000}]}}}},
            "responses": {
                "201": {"description": "created", "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Result"}}}},
                "200": {"description": "every notice was a repeat of one already received", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Result"}}}},
                "400": {"description": "the body is not valid UTF-8 JSON", "content": json_of},
                "401": {"description": "key missing or unknown", "content": json_of},
                "403": {"description": "key revoked", "content": json_of},
                "413": {"description": "body too large", "content": json_of},
                "422": {"description": "errors per item and field; nothing was stored", "content": json_of},
                "429": {"description": "too many requests for this key"},
            }}}},
    }
