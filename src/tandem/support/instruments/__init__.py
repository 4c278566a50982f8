"""Risk instruments as versioned data: one YAML file per instrument in this folder (rule `dash`).

A service adds another recognised tool by adding a file, not code. Each file is checked whole on
first use: against `instrument.schema.json`, then for what a schema cannot say (questions numbered
1, 2, 3... and as many as the source publishes, unique ids, the scored answer being one of the
options, no item text for a licensed or summary-judgement instrument). Every problem is an
`InstrumentDataError` naming the file, the item and the field, like the standards library's loader
(`tandem.standards.data_files`).
"""

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

INSTRUMENTS_DIR = Path(__file__).resolve().parent
SCHEMA_PATH = INSTRUMENTS_DIR / "instrument.schema.json"

# Fields that hold item text or item scoring; a summary-judgement instrument has none of them.
ITEM_FIELDS = ("answer_options", "question_count", "scoring", "questions")


class InstrumentDataError(Exception):
    """An instrument file that cannot be loaded; says which file, which item and which field."""

    def __init__(self, *, file: str, item: str, field: str, problem: str) -> None:
        self.file, self.item, self.field, self.problem = file, item, field, problem
        super().__init__(f"{file}: {item}: field '{field}': {problem}")


class InstrumentKind(StrEnum):
    ITEM_CHECKLIST = "item-checklist"
    SUMMARY_JUDGEMENT = "summary-judgement"


@dataclass(frozen=True)
class AnswerOption:
    id: str
    label: str


@dataclass(frozen=True)
class Question:
    number: int
    topic: str
    # None until the published wording has been checked word for word: nothing invented is shown.
    text: str | None


@dataclass(frozen=True)
class SummaryJudgement:
    id: str
    label: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    title: str
    publisher: str
    kind: InstrumentKind
    licensed: bool
    source: str
    note: str
    file: str
    answer_options: tuple[AnswerOption, ...] = ()
    questions: tuple[Question, ...] = ()
    # The score is the number of questions given this answer (item checklists only).
    counts_answer: str | None = None
    judgements: tuple[SummaryJudgement, ...] = ()

    @property
    def question_numbers(self) -> frozenset[int]:
        return frozenset(question.number for question in self.questions)

    @property
    def answer_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.answer_options)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _read_yaml(*, path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InstrumentDataError(
            file=path.name, item="(file)", field="-", problem=f"not UTF-8 text ({error})"
        ) from error
    except yaml.YAMLError as error:
        raise InstrumentDataError(
            file=path.name, item="(file)", field="-", problem=f"not valid YAML: {error}"
        ) from error


def _item_label(*, list_key: str, entry: Any, index: int) -> str:
    # Name an entry the way a person reading the file would find it: by its number or id.
    noun = {"questions": "question", "answer_options": "answer option", "judgements": "judgement"}
    key = "number" if list_key == "questions" else "id"
    label = entry.get(key) if isinstance(entry, dict) else None
    if isinstance(label, (int, str)) and not isinstance(label, bool):
        return f"{noun[list_key]} {label}"
    return f"{noun[list_key]} #{index + 1}"


def _refuse_schema_errors(*, file: str, document: Any) -> None:
    # First error in file order: list positions sort as numbers (question 2 before question 10).
    errors = sorted(
        _validator().iter_errors(document),
        key=lambda e: [(0, part, "") if isinstance(part, int) else (1, 0, part) for part in e.path],
    )
    if not errors:
        return
    error = errors[0]
    path = list(error.path)
    item = "instrument"
    if len(path) >= 2 and isinstance(path[1], int):
        list_key, index = str(path[0]), path[1]
        item = _item_label(list_key=list_key, entry=document[list_key][index], index=index)
        path = path[2:]
    elif len(path) >= 2:
        item, path = str(path[0]), path[1:]
    field = ".".join(str(part) for part in path) or "-"
    problem = error.message
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        field = ".".join([*(str(part) for part in path), missing[0]]) if missing else field
        problem = "is required"
    raise InstrumentDataError(file=file, item=item, field=field, problem=problem)


def _refuse_fields_of_the_other_kind(*, file: str, document: dict[str, Any]) -> None:
    if document["licensed"] and document["kind"] != InstrumentKind.SUMMARY_JUDGEMENT:
        raise InstrumentDataError(
            file=file,
            item="instrument",
            field="kind",
            problem="a licensed instrument is recorded by summary judgements only",
        )
    if document["kind"] == InstrumentKind.SUMMARY_JUDGEMENT:
        for field in ITEM_FIELDS:
            if field in document:
                raise InstrumentDataError(
                    file=file,
                    item="instrument",
                    field=field,
                    problem="a summary-judgement instrument stores no item text or item scoring",
                )
    elif "judgements" in document:
        raise InstrumentDataError(
            file=file,
            item="instrument",
            field="judgements",
            problem="an item checklist is scored from its answers, not recorded as judgements",
        )


def _refuse_duplicates(*, file: str, list_key: str, entries: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if entry["id"] in seen:
            raise InstrumentDataError(
                file=file,
                item=_item_label(list_key=list_key, entry=entry, index=index),
                field="id",
                problem="appears more than once",
            )
        seen.add(entry["id"])


def _checklist(*, file: str, document: dict[str, Any]) -> dict[str, Any]:
    _refuse_duplicates(file=file, list_key="answer_options", entries=document["answer_options"])
    answer_ids = [option["id"] for option in document["answer_options"]]
    counts_answer = document["scoring"]["counts_answer"]
    if counts_answer not in answer_ids:
        raise InstrumentDataError(
            file=file,
            item="scoring",
            field="counts_answer",
            problem=f"'{counts_answer}' is not one of the answer options {answer_ids}",
        )
    # Numbered 1, 2, 3... in order, so a question number in an answer means one thing only.
    for index, entry in enumerate(document["questions"]):
        if entry["number"] != index + 1:
            raise InstrumentDataError(
                file=file,
                item=_item_label(list_key="questions", entry=entry, index=index),
                field="number",
                problem=f"expected {index + 1}: questions are numbered 1, 2, 3... in order",
            )
    declared, found = document["question_count"], len(document["questions"])
    if found != declared:
        raise InstrumentDataError(
            file=file,
            item="instrument",
            field="questions",
            problem=f"{found} questions, but question_count says the source publishes {declared}",
        )
    return {
        "answer_options": tuple(
            AnswerOption(id=option["id"], label=option["label"])
            for option in document["answer_options"]
        ),
        "questions": tuple(
            Question(number=entry["number"], topic=entry["topic"], text=entry["text"])
            for entry in document["questions"]
        ),
        "counts_answer": counts_answer,
    }


def _summary(*, file: str, document: dict[str, Any]) -> dict[str, Any]:
    _refuse_duplicates(file=file, list_key="judgements", entries=document["judgements"])
    return {
        "judgements": tuple(
            SummaryJudgement(id=entry["id"], label=entry["label"], levels=tuple(entry["levels"]))
            for entry in document["judgements"]
        )
    }


def instrument_file_read(*, path: Path) -> Instrument:
    """Read and check one instrument file, or raise `InstrumentDataError`."""
    document = _read_yaml(path=path)
    _refuse_schema_errors(file=path.name, document=document)
    _refuse_fields_of_the_other_kind(file=path.name, document=document)
    kind = InstrumentKind(document["kind"])
    parts = (
        _checklist(file=path.name, document=document)
        if kind == InstrumentKind.ITEM_CHECKLIST
        else _summary(file=path.name, document=document)
    )
    return Instrument(
        id=document["id"],
        version=document["version"],
        title=document["title"],
        publisher=document["publisher"],
        kind=kind,
        licensed=document["licensed"],
        source=document["source"],
        note=document["note"],
        file=path.name,
        **parts,
    )


def instruments_read(*, directory: Path) -> dict[str, Instrument]:
    """Every instrument file in `directory` by id; a bad file or a repeated id refuses them all."""
    instruments: dict[str, Instrument] = {}
    for path in sorted(directory.glob("*.yaml")):
        instrument = instrument_file_read(path=path)
        earlier = instruments.get(instrument.id)
        if earlier is not None:
            raise InstrumentDataError(
                file=path.name,
                item="instrument",
                field="id",
                problem=f"'{instrument.id}' is already defined in {earlier.file}",
            )
        instruments[instrument.id] = instrument
    return instruments


@cache
def _shipped_instruments() -> dict[str, Instrument]:
    # Read once per process: the files ship with the code and do not change while it runs.
    return instruments_read(directory=INSTRUMENTS_DIR)


def instrument_list() -> list[Instrument]:
    return sorted(_shipped_instruments().values(), key=lambda instrument: instrument.id)


def instrument_get(*, instrument_id: str) -> Instrument:
    try:
        return _shipped_instruments()[instrument_id]
    except KeyError:
        known = ", ".join(sorted(_shipped_instruments()))
        raise LookupError(f"no instrument '{instrument_id}' (known: {known})") from None
