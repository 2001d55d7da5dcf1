"""The OpenID Connect client for the municipality's e-ID broker (BankID, Freja eID behind it).

The login is the authorisation code flow with state, nonce and PKCE (S256). Authlib checks the ID token: its
signature against the broker's published keys, issuer, audience, nonce, expiry and issue time. What the portal
adds: the personnummer must be in the ID token, and the assurance level (`acr`) must be at least
`PORTAL_OIDC_MIN_LOA`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

EXTENSION = "portal.oidc"

# Assurance levels of the Swedish framework for electronic identification (DIGG, formerly E-legitimations-
# nämnden) and the eIDAS levels the brokers pass on, ranked. "uncertified-loa3" is a level 3 that nobody has
# certified, so it counts as nothing; an unknown value counts as nothing too.
LOA_PREFIX = "http://id.elegnamnden.se/loa/1.0/"
LOA_RANK = {
    LOA_PREFIX + "loa1": 1,
    LOA_PREFIX + "loa2": 2,
    LOA_PREFIX + "loa3": 3,
    LOA_PREFIX + "loa4": 4,
    LOA_PREFIX + "eidas-low": 2,
    LOA_PREFIX + "eidas-sub": 3,
    LOA_PREFIX + "eidas-nf-sub": 3,
    LOA_PREFIX + "eidas-high": 4,
    LOA_PREFIX + "eidas-nf-high": 4,
}


def init_app(app: Flask) -> None:
    """Register the broker when an issuer is configured (one client per app, so apps never share one)."""
    issuer = app.config["OIDC_ISSUER"]
    if not issuer:
        app.extensions.pop(EXTENSION, None)
        return
    oauth = OAuth()
    oauth.init_app(app)
    client_kwargs: dict[str, Any] = {"scope": "openid profile", "code_challenge_method": "S256"}
    app.extensions[EXTENSION] = oauth.register(
        "eid",
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs=client_kwargs,
    )


def client() -> Any:
    """The registered broker client, or None when e-ID is not configured."""
    return current_app.extensions.get(EXTENSION)


def loa_rank(level: str | None) -> int:
    """How strong an assurance level is (0 for an unknown or uncertified one)."""
    return LOA_RANK.get(level or "", 0)


def is_known_loa(level: str) -> bool:
    """Whether the portal knows how to rank this assurance level."""
    return level in LOA_RANK


@dataclass(frozen=True)
class EidClaims:
    """What the broker's ID token says about the resident."""

    personnummer: str
    loa: str


def claims_to_identification(claims: dict[str, Any], *, personnummer_claim: str, loa_claim: str) -> EidClaims:
    """Pick the personnummer and the assurance level out of the ID token's claims."""
    number = str(claims.get(personnummer_claim) or "")
    loa = str(claims.get(loa_claim) or "")
    return EidClaims(personnummer=number, loa=loa)


def id_token_claims_options() -> dict[str, Any]:
    """What the ID token's issuer and audience must be: the configured issuer and our client id.

    Authlib on its own takes the issuer from the discovery document and checks the audience only through `azp`
    (a token for another client with `azp` set to ours passed), so both are named here.
    """
    return {
        "iss": {"essential": True, "values": [current_app.config["OIDC_ISSUER"].rstrip("/")]},
        "aud": {"essential": True, "values": [current_app.config["OIDC_CLIENT_ID"]]},
    }


def end_session_url(*, post_logout_redirect_uri: str, ui_locales: str) -> str | None:
    """The broker's end-session address for RP-initiated logout, or None when it has none."""
    eid = client()
    if eid is None:
        return None
    metadata = eid.load_server_metadata()
    if not metadata.get("end_session_endpoint"):
        return None
    result = eid.create_logout_url(post_logout_redirect_uri=post_logout_redirect_uri,
                                   client_id=current_app.config["OIDC_CLIENT_ID"], ui_locales=ui_locales)
    return str(result["url"])
