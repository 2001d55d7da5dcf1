"""Configuration: read once, only from PORTAL_* environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal import bounds

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
SUPPORTED_LANGUAGES = ("sv", "en", "ar", "fa", "so", "ti", "fi", "uk")


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe or incomplete for the chosen environment."""


def _share(text: str) -> float:
    """PORTAL_CAPACITY_WARNING_SHARE: a positive number such as 1.25 (a comma works too)."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise ConfigError(f"PORTAL_CAPACITY_WARNING_SHARE must be a number such as 1.25, not {text!r}") from None
    if not 0 < value <= 10:
        raise ConfigError(f"PORTAL_CAPACITY_WARNING_SHARE must be above 0 and at most 10, not {text!r}")
    return value


@dataclass(frozen=True)
class Setting:
    """One PORTAL_* variable: its default and what it means (the README table is built from these)."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("PORTAL_ENV", "production", "`development` enables the development login and relaxed cookies; "
            "anything else is production"),
    Setting("PORTAL_SECRET_KEY", "", "signs sessions and CSRF tokens; required in production"),
    Setting("PORTAL_DATABASE_URL", "sqlite:///instance/portal.sqlite3", "SQLAlchemy URL; "
            "`postgresql+psycopg://user@host/db` in production"),
    Setting("PORTAL_STORAGE_DIR", "instance/files", "where uploads, letters and print batches are stored "
            "(outside the web root)"),
    Setting("PORTAL_LANGUAGES", ",".join(SUPPORTED_LANGUAGES), "resident languages, comma separated; "
            "the first is the source language"),
    Setting("PORTAL_SMTP_URL", "", "`smtp://user:password@host:port` (or `smtps://`); empty disables e-mail"),
    Setting("PORTAL_MAIL_FROM", "no-reply@example.org", "sender address of e-mail"),
    Setting("PORTAL_BASE_URL", "http://127.0.0.1:5000", "public address, used in e-mail links and letters"),
    Setting("PORTAL_OIDC_ISSUER", "", "e-ID broker's OpenID Connect issuer URL (discovery document is read "
            "from it); empty disables e-ID login"),
    Setting("PORTAL_OIDC_CLIENT_ID", "", "client id at the e-ID broker"),
    Setting("PORTAL_OIDC_CLIENT_SECRET", "", "client secret at the e-ID broker"),
    Setting("PORTAL_OIDC_PERSONNUMMER_CLAIM", "personal_identity_number", "claim that carries the personnummer"),
    Setting("PORTAL_OIDC_LOA_CLAIM", "acr", "claim that carries the assurance level"),
    Setting("PORTAL_OIDC_MIN_LOA", "http://id.elegnamnden.se/loa/1.0/loa3", "lowest assurance level an e-ID login "
            "is let in with (the Swedish framework's `loa2`/`loa3`/`loa4` or eIDAS `eidas-sub`/`eidas-high` "
            "URIs); a lower, unknown or uncertified level is refused with a page that says why"),
    Setting("PORTAL_DEV_LOGIN", "", "`on`/`off`: development login with any valid personnummer; empty means on in "
            "development and off otherwise; a production start with it on is refused"),
    Setting("PORTAL_RATELIMIT_STORAGE_URL", "memory://", "rate-limit counters; use `redis://host:6379` "
            "with several web processes"),
    Setting("PORTAL_SESSION_STORAGE_URL", "", "where sessions are kept: empty means the database (table "
            "`web_session`); `redis://host:6379/0` for Redis (expiring keys)"),
    Setting("PORTAL_STAFF_SESSION_MINUTES", "30", "staff sessions end after this much inactivity"),
    Setting("PORTAL_STAFF_SESSION_MAX_HOURS", "10", "staff sessions end this long after login, however busy"),
    Setting("PORTAL_STAFF_LOGIN_STEP_MINUTES", "5", "after the password, the second factor must be given within "
            "this many minutes, or the login starts again"),
    Setting("PORTAL_RESIDENT_SESSION_MINUTES", "60", "resident sessions end after this much inactivity"),
    Setting("PORTAL_RESIDENT_SESSION_MAX_HOURS", "8", "resident sessions end this long after login, however busy"),
    Setting("PORTAL_LOGIN_MAX_FAILURES", "5", "failed staff logins (wrong password or wrong second-factor code) "
            "for one account from one address before that address is locked out of that account"),
    Setting("PORTAL_LOGIN_LOCK_MINUTES", "15", "the first lock period; each further lock of the same account "
            "from the same address lasts twice as long (at most a day); other addresses are not locked"),
    Setting("PORTAL_PASSWORD_RESET_HOURS", "24", "how long a one-time password-reset link works"),
    Setting("PORTAL_TRUSTED_PROXIES", "0", "how many proxies in front of the portal add X-Forwarded-For and "
            "X-Forwarded-Proto (1 behind one TLS proxy); 0 trusts no such header"),
    Setting("PORTAL_STAFF_MFA", "on", "`on`: staff log in with a TOTP second factor (enrolled at first login); "
            "`off` only in development (demos, scripted checks): production refuses to start with it off"),
    Setting("PORTAL_STATS_MIN_CELL", "5", "statistics show counts below this as '<N', so that no person can be "
            "identified"),
    Setting("PORTAL_STATS_MIN_LANDLORD", "20", "the contact funnel's statistics name a landlord from this many "
            "notices in the period; smaller landlords are counted together"),
    Setting("PORTAL_SCHEDULER", "on", "`off` stops `make run` from starting the scheduler beside the web server"),
    Setting("PORTAL_DECISION_WORKING_DAYS", "5", "working days from complete documents to the promised decision"),
    Setting("PORTAL_OVERALL_LIMIT_WORKING_DAYS", "15", "working days from submission to the overall limit of an "
            "intake item, whatever happens in between"),
    Setting("PORTAL_HANDOFF_DIR", "", "folder the hand-off JSON documents to the case system are written to "
            "(atomically); empty disables the folder"),
    Setting("PORTAL_HANDOFF_URL", "", "URL the hand-off JSON documents are POSTed to; empty disables it"),
    Setting("PORTAL_OUTREACH_POSTAL_CODES", "", "postal codes (or prefixes) of the unit's area, comma separated; "
            "notices for flats elsewhere are flagged for forwarding; empty means every code is in the area"),
    Setting("PORTAL_OUTREACH_CONTACT_WORKING_DAYS", "5", "working days after the outreach letter without contact "
            "before an outreach worker gets a follow-up task (and a second letter goes out if time allows)"),
    Setting("PORTAL_OUTREACH_ESCALATE_WORKING_DAYS", "3", "a notice with no decision this many working days "
            "before its deadline is escalated"),
    Setting("PORTAL_OUTREACH_SECOND_LETTER_MIN_DAYS", "5", "a second letter goes out only if at least this many "
            "calendar days remain before the deadline"),
    Setting("PORTAL_POSTAL_WORKING_DAYS", "2", "working days ordinary first-class post takes to reach the person: a "
            "booked time is at least the letter's print day + these days + the margin away"),
    Setting("PORTAL_POSTAL_MARGIN_WORKING_DAYS", "1", "working days the person has after the letter arrives before "
            "the earliest time booked for them"),
    Setting("PORTAL_OUTREACH_URGENT_WORKING_DAYS", "5", "a notice or outreach item whose eviction date or recovery "
            "deadline is this many working days away or nearer, with no contact yet, is urgent: red in the queue "
            "and the notice list, first in order, and an immediate outreach task"),
    Setting("PORTAL_CAPACITY_WARNING_SHARE", "1.25", "the reception settings page, the staff home and a daily "
            "e-mail to administrators warn when, by any of the coming weeks, the free reception places a letter "
            "can still book are fewer than this share of the open notices with deadlines by then and no booking "
            "(1.25: a quarter more places than notices, since some move, cancel or miss their time)"),
    Setting("PORTAL_OUTREACH_BATCH", "50", "notices the pipeline claims and moves on per transaction"),
    Setting("PORTAL_NOTICE_RETENTION_DAYS", "365", "days after arrival when a notice that never became a case "
            "(decided, no investigation opened) is deleted; only anonymous counts remain"),
    Setting("PORTAL_API_MAX_BYTES", "1048576", "largest body the landlord notice API accepts (413 above)"),
    Setting("PORTAL_LETTER_APPROVAL", "off", "`on`: every new letter waits for staff approval before it goes into "
            "the print batch; `off`: letters are queued for printing at once"),
    Setting("PORTAL_RECEPTION_PHONE", "0000-00 00 00", "the reception's phone number printed in letters"),
    Setting("PORTAL_RECEPTION_PHONE_HOURS", "9–12", "the reception's phone hours on weekdays, printed in letters"),
    Setting("PORTAL_RECEPTION_ADDRESS", "Kommunhuset, Storgatan 1", "where the reception is (the booked place "
            "printed in letters)"),
    Setting("PORTAL_LETTER_SENDER", "Kommunen, Box 100, 100 00 Kommunen", "sender line on the outside of letters: "
            "no more than the municipality and a PO box (the envelope must not reveal the unit)"),
    Setting("PORTAL_UPLOAD_MAX_MB", "20", "largest file a resident may upload, in megabytes (checked while the "
            "file streams in; a request more than 5 MB over it is refused with 413 before it is read)"),
    Setting("PORTAL_API_RATE_LIMIT", "60/minute", "requests per API key to the landlord notice API (429 above)"),
    Setting("PORTAL_SERVICE_AREA_POSTCODES", "", "postal codes (or prefixes) of the area the unit serves, comma "
            "separated; an e-application from elsewhere is still registered but flagged for referral; empty means "
            "every code is in the area"),
    Setting("PORTAL_SERVICE_AREA_REFERRALS", "", "where applicants outside the area are told to turn, as "
            "`prefix=name` pairs separated by `;` (for example `123=Farsta stadsdelsförvaltning`)"),
    Setting("PORTAL_CHECKLIST_RULES", "", "the document checklist rules in use, comma separated rule keys "
            "(portal/applications/rules.py); empty means every default rule"),
    Setting("PORTAL_APPLICATION_REMINDER_DAYS", "7", "days after a resident chose to send a document later "
            "before an e-mail reminder (when they gave an address)"),
    Setting("PORTAL_REPEAT_APPLICATION_DAYS", "62", "an application within this many days of the household's "
            "last one is a repeat application: pre-filled, and asking only for what changed"),
)


# The key development runs with when none is set; refused in production, as is any key written in the source.
DEVELOPMENT_SECRET = "development-only-not-secret"  # noqa: S105 - refused outside development (check_safe)
MIN_SECRET_BYTES = 32


def secret_key_problem(secret: str) -> str | None:
    """Why a secret key is unfit for production, or None: it must hold at least 32 random bytes and must not be
    a value written in the source (the development fallback, or any other quoted string in this file)."""
    advice = "generate one with: python -c 'import secrets; print(secrets.token_hex(32))'"
    if not secret:
        return f"PORTAL_SECRET_KEY is not set ({advice})"
    if _random_bytes(secret) < MIN_SECRET_BYTES:
        return f"PORTAL_SECRET_KEY holds fewer than {MIN_SECRET_BYTES} random bytes ({advice})"
    source = Path(__file__).read_text(encoding="utf-8")
    if secret == DEVELOPMENT_SECRET or f'"{secret}"' in source or f"'{secret}'" in source:
        return f"PORTAL_SECRET_KEY is a value written in the source code ({advice})"
    return None


def _random_bytes(secret: str) -> float:
    """How many random bytes a key can hold at most, judged by its alphabet (hex 4 bits a character, base64 6,
    anything else 6.5), and none at all when its characters repeat like a pattern (less than half the entropy its
    alphabet allows: 'x' * 64), counting a repeated block once: `secrets.token_hex(32)` and `token_urlsafe(32)`
    give 32."""
    import math
    import string
    from collections import Counter

    if all(c in string.hexdigits for c in secret):
        alphabet_bits = 4.0
    elif all(c in string.ascii_letters + string.digits + "-_+/=" for c in secret):
        alphabet_bits = 6.0
    else:
        alphabet_bits = math.log2(95)
    # A key that repeats a shorter block ('0123456789abcdef' * 4) holds no more than that block.
    period = next((p for p in range(1, len(secret) // 2 + 1) if secret[p:] == secret[:-p]), len(secret))
    secret = secret[:period]
    counts = Counter(secret)
    observed = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values())
    if observed < alphabet_bits / 2:
        return 0.0
    return len(secret.rstrip("=")) * alphabet_bits / 8


def _env(name: str, environ: dict[str, str]) -> str:
    for setting in SETTINGS:
        if setting.name == name:
            return environ.get(name, setting.default)
    raise KeyError(name)


def _resolve_sqlite(url: str) -> str:
    """Make a relative SQLite path relative to the project, not the current directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite:///:memory:":
        return prefix + str(PROJECT_ROOT / url[len(prefix):])
    return url


def _resolve_dir(path: str) -> str:
    p = Path(path)
    return str(p if p.is_absolute() else PROJECT_ROOT / p)


# Rows per multi-row INSERT on PostgreSQL. psycopg rewrites every placeholder of a statement in Python, and a
# statement of SQLAlchemy's default 1,000 rows (35,000 placeholders for a notice) cost far more per row than
# one of 20: importing 100,000 notices took 70 s with 1,000 and 44 s with 20 (measured, see README).
PG_INSERT_ROWS_PER_STATEMENT = 20


def engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """SQLAlchemy engine options for the configured database (set options win)."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        options.setdefault("insertmanyvalues_page_size", PG_INSERT_ROWS_PER_STATEMENT)
    return options


def load(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask configuration mapping from the environment."""
    env = dict(os.environ if environ is None else environ)
    mode = _env("PORTAL_ENV", env)
    development = mode == "development"
    languages = tuple(code.strip() for code in _env("PORTAL_LANGUAGES", env).split(",") if code.strip())
    secret = _env("PORTAL_SECRET_KEY", env)
    upload_max_bytes = int(_env("PORTAL_UPLOAD_MAX_MB", env)) * 1024 * 1024
    if not secret and development:
        secret = DEVELOPMENT_SECRET
    config: dict[str, Any] = {
        "PORTAL_ENV": mode,
        "DEVELOPMENT": development,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": _resolve_sqlite(_env("PORTAL_DATABASE_URL", env)),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "STORAGE_DIR": _resolve_dir(_env("PORTAL_STORAGE_DIR", env)),
        "LANGUAGES": languages,
        "SMTP_URL": _env("PORTAL_SMTP_URL", env),
        "MAIL_FROM": _env("PORTAL_MAIL_FROM", env),
        "BASE_URL": _env("PORTAL_BASE_URL", env).rstrip("/"),
        "OIDC_ISSUER": _env("PORTAL_OIDC_ISSUER", env),
        "OIDC_CLIENT_ID": _env("PORTAL_OIDC_CLIENT_ID", env),
        "OIDC_CLIENT_SECRET": _env("PORTAL_OIDC_CLIENT_SECRET", env),
        "OIDC_PERSONNUMMER_CLAIM": _env("PORTAL_OIDC_PERSONNUMMER_CLAIM", env),
        "OIDC_LOA_CLAIM": _env("PORTAL_OIDC_LOA_CLAIM", env),
        "OIDC_MIN_LOA": _env("PORTAL_OIDC_MIN_LOA", env),
        "DEV_LOGIN": _env("PORTAL_DEV_LOGIN", env) == "on" or (development and _env("PORTAL_DEV_LOGIN", env) == ""),
        "RATELIMIT_STORAGE_URI": _env("PORTAL_RATELIMIT_STORAGE_URL", env),
        "SESSION_STORAGE_URL": _env("PORTAL_SESSION_STORAGE_URL", env),
        "STAFF_SESSION_MINUTES": int(_env("PORTAL_STAFF_SESSION_MINUTES", env)),
        "STAFF_SESSION_MAX_HOURS": float(_env("PORTAL_STAFF_SESSION_MAX_HOURS", env)),
        "STAFF_LOGIN_STEP_MINUTES": float(_env("PORTAL_STAFF_LOGIN_STEP_MINUTES", env)),
        "RESIDENT_SESSION_MINUTES": int(_env("PORTAL_RESIDENT_SESSION_MINUTES", env)),
        "RESIDENT_SESSION_MAX_HOURS": float(_env("PORTAL_RESIDENT_SESSION_MAX_HOURS", env)),
        "PASSWORD_RESET_HOURS": float(_env("PORTAL_PASSWORD_RESET_HOURS", env)),
        "TRUSTED_PROXIES": int(_env("PORTAL_TRUSTED_PROXIES", env)),
        "LOGIN_MAX_FAILURES": int(_env("PORTAL_LOGIN_MAX_FAILURES", env)),
        "LOGIN_LOCK_MINUTES": int(_env("PORTAL_LOGIN_LOCK_MINUTES", env)),
        "SCHEDULER": _env("PORTAL_SCHEDULER", env) == "on",
        "STATS_MIN_CELL": int(_env("PORTAL_STATS_MIN_CELL", env)),
        "STATS_MIN_LANDLORD": int(_env("PORTAL_STATS_MIN_LANDLORD", env)),
        "STAFF_MFA": _env("PORTAL_STAFF_MFA", env) != "off",
        "DECISION_WORKING_DAYS": int(_env("PORTAL_DECISION_WORKING_DAYS", env)),
        "OVERALL_LIMIT_WORKING_DAYS": int(_env("PORTAL_OVERALL_LIMIT_WORKING_DAYS", env)),
        "HANDOFF_DIR": _resolve_dir(_env("PORTAL_HANDOFF_DIR", env)) if _env("PORTAL_HANDOFF_DIR", env) else "",
        "HANDOFF_URL": _env("PORTAL_HANDOFF_URL", env),
        "OUTREACH_POSTAL_CODES": _env("PORTAL_OUTREACH_POSTAL_CODES", env),
        "OUTREACH_CONTACT_WORKING_DAYS": int(_env("PORTAL_OUTREACH_CONTACT_WORKING_DAYS", env)),
        "OUTREACH_ESCALATE_WORKING_DAYS": int(_env("PORTAL_OUTREACH_ESCALATE_WORKING_DAYS", env)),
        "OUTREACH_SECOND_LETTER_MIN_DAYS": int(_env("PORTAL_OUTREACH_SECOND_LETTER_MIN_DAYS", env)),
        "OUTREACH_BATCH": int(_env("PORTAL_OUTREACH_BATCH", env)),
        "POSTAL_WORKING_DAYS": int(_env("PORTAL_POSTAL_WORKING_DAYS", env)),
        "POSTAL_MARGIN_WORKING_DAYS": int(_env("PORTAL_POSTAL_MARGIN_WORKING_DAYS", env)),
        "OUTREACH_URGENT_WORKING_DAYS": int(_env("PORTAL_OUTREACH_URGENT_WORKING_DAYS", env)),
        "CAPACITY_WARNING_SHARE": _share(_env("PORTAL_CAPACITY_WARNING_SHARE", env)),
        "NOTICE_RETENTION_DAYS": int(_env("PORTAL_NOTICE_RETENTION_DAYS", env)),
        "API_MAX_BYTES": int(_env("PORTAL_API_MAX_BYTES", env)),
        "API_RATE_LIMIT": _env("PORTAL_API_RATE_LIMIT", env),
        "LETTER_APPROVAL": _env("PORTAL_LETTER_APPROVAL", env) == "on",
        "RECEPTION_PHONE": _env("PORTAL_RECEPTION_PHONE", env),
        "RECEPTION_PHONE_HOURS": _env("PORTAL_RECEPTION_PHONE_HOURS", env),
        "RECEPTION_ADDRESS": _env("PORTAL_RECEPTION_ADDRESS", env),
        "LETTER_SENDER": _env("PORTAL_LETTER_SENDER", env),
        "SERVICE_AREA_POSTCODES": _env("PORTAL_SERVICE_AREA_POSTCODES", env),
        "SERVICE_AREA_REFERRALS": _env("PORTAL_SERVICE_AREA_REFERRALS", env),
        "CHECKLIST_RULES": _env("PORTAL_CHECKLIST_RULES", env),
        "APPLICATION_REMINDER_DAYS": int(_env("PORTAL_APPLICATION_REMINDER_DAYS", env)),
        "REPEAT_APPLICATION_DAYS": int(_env("PORTAL_REPEAT_APPLICATION_DAYS", env)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        "SESSION_COOKIE_NAME": "portal_session",
        "WTF_CSRF_TIME_LIMIT": None,
        # Flask-WTF's extra check on HTTPS wants a Referer from the same site, and our pages send none
        # (Referrer-Policy: no-referrer): behind a trusted TLS proxy every form would fail. The CSRF token and the
        # SameSite=Lax cookie protect the forms.
        "WTF_CSRF_SSL_STRICT": False,
        "UPLOAD_MAX_BYTES": upload_max_bytes,
        # The whole request may be a little larger than one file (the form around it); anything bigger is
        # refused from its Content-Length before a byte of the body is read.
        "MAX_CONTENT_LENGTH": upload_max_bytes + 5 * 1024 * 1024,
        # Werkzeug refuses a form with more parts, or more text outside its files, with 413 while parsing it.
        "MAX_FORM_PARTS": bounds.MAX_FORM_PARTS,
        "MAX_FORM_MEMORY_SIZE": bounds.MAX_FORM_MEMORY,
        "BABEL_DEFAULT_LOCALE": languages[0] if languages else "sv",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
    }
    return config


def check_safe(config: dict[str, Any]) -> None:
    """Refuse to start production with settings that only make sense on a developer's machine."""
    if config.get("TESTING"):
        return
    if config["DEVELOPMENT"]:
        return
    problems = []
    secret_problem = secret_key_problem(str(config["SECRET_KEY"] or ""))
    if secret_problem:
        problems.append(secret_problem)
    if config["DEV_LOGIN"]:
        problems.append("the development login is on: set PORTAL_DEV_LOGIN=off (it accepts any personnummer)")
    if not config["STAFF_MFA"]:
        problems.append("staff second factor is off: PORTAL_STAFF_MFA=off is only allowed in development")
    from portal.identity.oidc import is_known_loa

    if not is_known_loa(config["OIDC_MIN_LOA"]):
        problems.append(f"PORTAL_OIDC_MIN_LOA is not an assurance level the portal knows: {config['OIDC_MIN_LOA']}")
    unknown = [code for code in config["LANGUAGES"] if code not in SUPPORTED_LANGUAGES]
    if unknown:
        problems.append(f"PORTAL_LANGUAGES names languages without a catalog: {', '.join(unknown)}")
    if problems:
        raise ConfigError("Refusing to start in production: " + "; ".join(problems))
