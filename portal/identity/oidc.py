"""The OpenID Connect client for the municipality's e-ID broker (BankID, Freja eID behind it)."""

from __future__ import annotations

from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Flask

oauth = OAuth()


def init_app(app: Flask) -> None:
    """Register the broker when an issuer is configured."""
    oauth.init_app(app)
    issuer = app.config["OIDC_ISSUER"]
    if issuer:
        oauth.register(
            "eid",
            client_id=app.config["OIDC_CLIENT_ID"],
            client_secret=app.config["OIDC_CLIENT_SECRET"],
            server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": "openid profile"},
        )


def client() -> Any:
    """The registered broker client, or None when e-ID is not configured."""
    return oauth.create_client("eid")


def claims_to_identification(claims: dict[str, Any], *, personnummer_claim: str, loa_claim: str) -> tuple[str, str]:
    """Pick the personnummer and the assurance level out of the ID token's claims."""
    number = str(claims.get(personnummer_claim) or "")
    loa = str(claims.get(loa_claim) or "unknown")
    return number, loa
