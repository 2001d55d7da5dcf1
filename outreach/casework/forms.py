"""Staff forms for notices (Swedish, plain text: staff pages are not translated)."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from outreach.notices.models import ApiKey, AttemptChannel, AttemptResult, Children, Decision, Outcome, TenancyOutcome
from outreach.notices.parse import FIELD_LIMITS
from portal.bounds import staff_length
from portal.forms import BaseForm
from portal.intake.forms import LANGUAGE_NAMES

CHANNEL_LABELS = {AttemptChannel.LETTER: "Brev", AttemptChannel.CALL: "Samtal", AttemptChannel.TEXT: "Sms",
                  AttemptChannel.HOME_VISIT: "Hembesök", AttemptChannel.PHONED_IN: "Hushållet ringde själv",
                  AttemptChannel.WALK_IN: "Hushållet kom till receptionen utan tid"}
RESULT_LABELS = {AttemptResult.REACHED: "Fick kontakt", AttemptResult.NOT_REACHED: "Fick inte kontakt",
                 AttemptResult.MESSAGE_LEFT: "Lämnade meddelande"}
DECISION_LABELS = {Decision.CONTACT_MADE: "Kontakt tagen", Decision.INVESTIGATION_OPENED: "Utredning inledd",
                   Decision.NO_ACTION: "Ingen åtgärd (skäl krävs)"}
CHILDREN_LABELS = {Children.YES: "Ja", Children.NO: "Nej", Children.UNKNOWN: "Okänt"}
OUTCOME_LABELS = {Outcome.PENDING: "Väntar på behandling", Outcome.SUPERSEDED: "Ersatt av rättelse",
                  Outcome.KNOWN_CLIENT: "Aktuell klient: handläggaren meddelad", Outcome.MANUAL: "Manuell hantering",
                  Outcome.OUT_OF_AREA: "Utanför området: vidarebefordra", Outcome.CONTACTED: "Brev och bokning",
                  Outcome.ESCALATED: "Eskalerad", Outcome.LINKED: "Kopplad till pågående ärende"}

# Typed-in notices: the same columns and checks as a file row (FORMATS.md §1).
TYPED_FIELDS = (
    ("typ", "Typ (uppsägning, störning, avhysning eller övrigt)"), ("referens", "Avsändarens referens"),
    ("hyresvard", "Hyresvärd"), ("hyresvard_orgnr", "Hyresvärdens organisationsnummer (frivilligt)"),
    ("hyresvard_kontakt", "Kontakt hos hyresvärden (frivilligt)"), ("hyresgast_namn", "Hyresgästens namn"),
    ("personnummer", "Personnummer (frivilligt)"), ("adress", "Adress"), ("postnummer", "Postnummer"),
    ("ort", "Ort"), ("lagenhetsnummer", "Lägenhetsnummer (frivilligt)"),
    ("lagenhet_storlek", "Lägenhetens storlek (frivilligt)"), ("skuld_kr", "Skuld i kronor (för uppsägning)"),
    ("uppsagning_datum", "Uppsägningsdatum"), ("delgiven_datum", "Delgiven (frivilligt)"),
    ("inkom_datum", "Inkom till nämnden (tomt = i dag)"),
    ("avhysning_datum", "Avhysning: dag och klockslag (för avhysning)"),
    ("barn_i_hushallet", "Barn i hushållet (ja, nej eller okänt)"), ("sprak", "Språkkod (frivilligt)"),
    ("tolk", "Behöver hyresgästen tolk?"), ("skyddad_identitet", "Skyddad identitet (ja eller tomt)"),
    ("rattelse_av", "Rättelse av referens (frivilligt)"),
)


class TypedNoticeForm(BaseForm):
    """A notice typed in from paper; the fields are added below, one per column."""


# Choose, don't type: every column with a fixed set of values is a radio group or a list (the values are those
# a file row may carry, so the importer's checks and words stay the same); dates are date inputs (the template).
KIND_CHOICES = [("uppsägning", "Uppsägning (hyresskuld)"), ("störning", "Störning"),
                ("avhysning", "Avhysning (Kronofogden)"), ("övrigt", "Övrigt")]
CHILDREN_CHOICES = [("ja", "Ja"), ("nej", "Nej"), ("okänt", "Vet inte")]
PROTECTED_CHOICES = [("", "Nej, eller vet inte"), ("ja", "Ja: inga brev, ingen adress visas")]
LANGUAGE_CHOICES = [("", "Vet inte"), *((code, name) for code, name in LANGUAGE_NAMES.items())]
INTERPRETER_CHOICES = [("ja", "Ja, på språket ovan"), ("nej", "Nej"), ("", "Vet inte")]
DATE_FIELDS = ("uppsagning_datum", "delgiven_datum", "inkom_datum")
DATETIME_FIELDS = ("avhysning_datum",)
CHOSEN = {
    "typ": lambda label, limit: RadioField("Typ", choices=KIND_CHOICES, validate_choice=False, validators=[limit]),
    "barn_i_hushallet": lambda label, limit: RadioField("Barn i hushållet", choices=CHILDREN_CHOICES,
                                                        default="okänt", validate_choice=False, validators=[limit]),
    "skyddad_identitet": lambda label, limit: RadioField("Skyddad identitet", choices=PROTECTED_CHOICES, default="",
                                                         validate_choice=False, validators=[limit]),
    "sprak": lambda label, limit: SelectField("Språk (frivilligt)", choices=LANGUAGE_CHOICES, default="",
                                              validate_choice=False, validators=[limit]),
    "tolk": lambda label, limit: RadioField(label, choices=INTERPRETER_CHOICES, default="", validate_choice=False,
                                            validators=[limit]),
}

for _name, _label in TYPED_FIELDS:
    # The same limit as a file row's column, so a typed-in notice is refused here with the same words.
    _limit = staff_length(FIELD_LIMITS[_name])
    _make = CHOSEN.get(_name)
    setattr(TypedNoticeForm, _name, _make(_label, _limit) if _make else StringField(_label, validators=[_limit]))


class ImportForm(BaseForm):
    """A notice file to import."""

    file = FileField("Fil med underrättelser (CSV)", validators=[FileRequired(message="Välj en fil.")])


class RegisterForm(BaseForm):
    """A known-client register snapshot to import."""

    register_file = FileField("Registret över aktuella klienter (CSV)",
                              validators=[FileRequired(message="Välj en fil.")])


class AttemptForm(BaseForm):
    """One attempt to reach the household."""

    channel = RadioField("Hur?", choices=[(c.value, label) for c, label in CHANNEL_LABELS.items()],
                         validators=[InputRequired(message="Välj hur ni försökte nå hushållet.")])
    result = RadioField("Resultat", choices=[(r.value, label) for r, label in RESULT_LABELS.items()],
                        validators=[InputRequired(message="Välj resultatet.")])
    note = TextAreaField("Anteckning (frivilligt)", validators=[staff_length(2000)])


class DecisionForm(BaseForm):
    """The notice's decision."""

    decision = RadioField("Beslut", choices=[(d.value, label) for d, label in DECISION_LABELS.items()],
                          validators=[InputRequired(message="Välj ett beslut.")])
    reason = TextAreaField("Skäl", validators=[staff_length(4000)])


TENANCY_LABELS = {TenancyOutcome.KEPT: "Bor kvar (skulden betald eller uppsägningen återtagen)",
                  TenancyOutcome.AGREEMENT: "Överenskommelse med hyresvärden (till exempel avbetalningsplan)",
                  TenancyOutcome.MOVED: "Har flyttat", TenancyOutcome.EVICTED: "Avhyst",
                  TenancyOutcome.UNKNOWN: "Okänt (ingen kontakt)"}


class TenancyOutcomeForm(BaseForm):
    """What became of the home."""

    outcome = RadioField("Hur gick det för boendet?", choices=[(o.value, label) for o, label in TENANCY_LABELS.items()],
                         validators=[InputRequired(message="Välj hur det gick.")])


class ChildrenForm(BaseForm):
    """Children in the household, as staff learnt."""

    children = SelectField("Barn i hushållet", choices=[(c.value, label) for c, label in CHILDREN_LABELS.items()])


class ApiKeyForm(BaseForm):
    """A new landlord API key."""

    columns = {"landlord_name": (ApiKey.landlord_name,), "landlord_orgnr": (ApiKey.landlord_orgnr,)}

    landlord_name = StringField("Hyresvärd", validators=[InputRequired(message="Fyll i hyresvärdens namn."),
                                                         staff_length(200)])
    landlord_orgnr = StringField("Organisationsnummer (frivilligt)", validators=[staff_length(20)])


NAME_CHOICES = (("notice", "Namnet på underrättelsen stämmer (namnet vi har ändras)"),
                ("held", "Namnet vi har stämmer (felskrivet på underrättelsen)"),
                ("wrong_number", "Personnumret är fel (matcha personen manuellt)"))


class NameForm(BaseForm):
    """Staff settle a tenant name that differs from the name held for the personnummer."""

    choice = RadioField("Vilket stämmer?", choices=list(NAME_CHOICES),
                        validators=[InputRequired(message="Välj vilket namn som stämmer.")])
