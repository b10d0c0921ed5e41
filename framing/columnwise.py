"""Column-wise stand-ins for two of spaCy's rule components: the same annotations, a fraction of the time.

spaCy's attribute_ruler runs a Matcher of all its patterns (179 in en_core_web_sm) over every token, and
its rule lemmatizer visits the tokens one by one in Python: together 4.0 of the 13.5 s en_core_web_sm
spends on the 19 reports in ../shared/data/reports. What either writes on a token depends only on a few
of that token's attributes, so the stand-ins read those attributes as columns (Doc.to_array), decide once
for each distinct row with the stock component's own patterns, attributes and lemmatize method, and
write the answers back with one Doc.from_array. On those reports, in a fresh process: 0.6 s and 0.2 s
instead of 2.7 s and 1.3 s.

- attribute_ruler: every pattern (179 in en_core_web_sm, 8 of them two tokens long) is decided here when
  each of its tokens tests only TAG, DEP, POS, LOWER, ORTH, NORM or IS_SPACE (a value, IN, NOT_IN or
  REGEX, as spaCy's Matcher reads them) and it sets only LEMMA, POS, TAG, DEP or MORPH; a ruler with any
  other pattern (operators, other attributes) keeps spaCy's component. Later patterns win, as in
  AttributeRuler.
- lemmatizer: in "rule" mode a lemma is a function of the token's ORTH, POS and MORPH (the stock
  component caches it under exactly that key), so it is looked up once per distinct triple, with the
  stock component's rule_lemmatize over a set, not a list, of the words its index knows.

install() swaps them in for the stock components it covers and leaves any other component alone.
tests/test_columnwise.py checks, token by token, that the annotations are identical on real reports.
"""
from __future__ import annotations

import re

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.errors import Errors
from spacy.language import Language
from spacy.lookups import Lookups, Table
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

TESTED = {"TAG": TAG, "DEP": DEP, "POS": POS, "LOWER": LOWER, "ORTH": ORTH, "TEXT": ORTH, "NORM": NORM,
          "IS_SPACE": IS_SPACE}  # the token attributes a pattern decided here may test
WRITTEN = {LEMMA, POS, TAG, DEP, MORPH}  # token attributes only (set_token_attrs also writes lexical ones)


def _predicate(value):
    """A test of one attribute's value (a string, or a bool for IS_SPACE) as spaCy's Matcher does it,
    None when this module does not know the form."""
    if isinstance(value, (str, bool)):
        return lambda v: v == value
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN" and isinstance(arg, list):
            return lambda v: v in arg
        if op == "NOT_IN" and isinstance(arg, list):
            return lambda v: v not in arg
        if op == "REGEX" and isinstance(arg, str):
            compiled = re.compile(arg)
            return lambda v: isinstance(v, str) and bool(compiled.search(v))
    return None


def _token_tests(spec: dict) -> list[tuple[str, object]] | None:
    """[(attribute, predicate)] of one token's part of a pattern, None when it tests something (an
    operator, another attribute) this module does not read."""
    tests = [(attr, _predicate(value) if attr in TESTED else None) for attr, value in spec.items()]
    return tests if tests and all(predicate for _, predicate in tests) else None


def _index_keys(spec: dict) -> tuple[str, list] | None:
    """(attribute, values) such that a token can only satisfy the spec when that attribute has one of the
    values: how a row finds the specs worth testing without testing all of them."""
    for attr in ("LOWER", "ORTH", "TEXT", "NORM", "TAG", "DEP", "POS", "IS_SPACE"):
        value = spec.get(attr)
        if isinstance(value, (str, bool)):
            return attr, [value]
        if isinstance(value, dict) and isinstance(value.get("IN"), list):
            return attr, value["IN"]
    return None


class ColumnwiseAttributeRuler:
    """An AttributeRuler's patterns and attributes, applied column-wise (see the module's docstring).

    Every token spec of every pattern is a "slot"; a distinct row of tested attributes is decided once
    into the slots it satisfies, a pattern of n tokens matches where its n slots hold on n consecutive
    tokens, and of the patterns that apply to a token the last one to set an attribute gives its value.
    """

    def __init__(self, stock: AttributeRuler):
        self.stock = stock
        self.vocab = stock.vocab
        self.alternatives: list[tuple[int, list[int]]] = []  # (pattern, its slots in order)
        self.slots: list[list[tuple[str, object]]] = []
        self.index: dict[tuple[str, object], list[int]] = {}
        self.unindexed: list[int] = []
        for pattern, alternatives in enumerate(self.patterns_of(stock)):
            for alternative in alternatives:
                slots = []
                for spec in alternative:
                    slots.append(len(self.slots))
                    self.slots.append(_token_tests(spec))
                    keys = _index_keys(spec)
                    if keys is None:
                        self.unindexed.append(slots[-1])
                    for value in (keys[1] if keys else ()):
                        self.index.setdefault((keys[0], value), []).append(slots[-1])
                self.alternatives.append((pattern, slots))
        tested = {attr for slot in self.slots for attr, _ in slot}
        self.columns = sorted({TESTED[attr] for attr in tested})
        self.names = {column: [a for a, c in TESTED.items() if c == column][0] for column in self.columns}
        self.targets = sorted({attr for attrs in stock.attrs for attr in attrs})
        self.setters = []  # per target: (patterns that set it, their values)
        for target in self.targets:
            setting = [p for p, attrs in enumerate(stock.attrs) if target in attrs]
            self.setters.append((numpy.array(setting, dtype=numpy.intp),
                                 numpy.array([stock.attrs[p][target] for p in setting], dtype=numpy.uint64)))
        self.rows: dict[tuple, numpy.ndarray] = {}  # distinct row -> the slots it satisfies

    @staticmethod
    def patterns_of(stock: AttributeRuler) -> list[list[list[dict]]]:
        return [stock.matcher.get(stock.vocab.strings[str(i)])[1] for i in range(len(stock.attrs))]

    @classmethod
    def covers(cls, stock) -> bool:
        return (isinstance(stock, AttributeRuler) and all(set(a) <= WRITTEN for a in stock.attrs)
                and all(_token_tests(spec) for alternatives in cls.patterns_of(stock)
                        for alternative in alternatives for spec in alternative))

    def _value(self, column: int, value: int):
        if column == IS_SPACE:
            return bool(value)
        if column == POS:
            return POS_NAMES.get(int(value), "")
        return self.vocab.strings[int(value)] if value else ""

    def _satisfied(self, row: tuple) -> numpy.ndarray:
        """The slots a distinct row of tested attributes satisfies (decided once per row)."""
        if row not in self.rows:
            values = {self.names[c]: self._value(c, v) for c, v in zip(self.columns, row)}
            if "ORTH" in values:
                values["TEXT"] = values["ORTH"]
            candidates = set(self.unindexed)
            for attr, value in values.items():
                candidates.update(self.index.get((attr, value), ()))
            satisfied = numpy.zeros(len(self.slots), dtype=bool)
            for slot in candidates:
                satisfied[slot] = all(predicate(values[attr]) for attr, predicate in self.slots[slot])
            self.rows[row] = satisfied
        return self.rows[row]

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc) or not self.targets:
            return doc
        try:
            n = len(doc)
            tested = doc.to_array(self.columns).reshape(n, len(self.columns))
            distinct, inverse = numpy.unique(tested, axis=0, return_inverse=True)
            table = numpy.stack([self._satisfied(tuple(row)) for row in distinct.tolist()])
            satisfied = table[inverse.reshape(-1)]  # token x slot
            applies = numpy.zeros((n, len(self.stock.attrs)), dtype=bool)  # token x pattern
            for pattern, slots in self.alternatives:
                length, index = len(slots), self.stock.indices[pattern]
                if not -length <= index < length:
                    raise ValueError(Errors.E1001.format(patterns=self.patterns_of(self.stock)[pattern],
                                                         span=[], index=index))
                if length > n:
                    continue
                starts = satisfied[: n - length + 1, slots[0]].copy()
                for k, slot in enumerate(slots[1:], 1):
                    starts &= satisfied[k: n - length + 1 + k, slot]
                target = index % length
                applies[target: n - length + 1 + target, pattern] |= starts
            columns = doc.to_array(self.targets).reshape(n, len(self.targets))
            for col, (setting, values) in enumerate(self.setters):
                hits = applies[:, setting]
                last = len(setting) - 1 - numpy.argmax(hits[:, ::-1], axis=1)  # the last pattern that applies
                has = hits.any(axis=1)
                columns[has, col] = values[last[has]]
            doc.from_array(self.targets, columns.astype(numpy.uint64))
            return doc
        except Exception as e:  # as AttributeRuler.__call__ does
            return self.stock.get_error_handler()(self.stock.name, self.stock, [doc], e)


class ColumnwiseLemmatizer:
    """A rule-mode Lemmatizer, its lemmatize method called once per distinct (ORTH, POS, MORPH) of a Doc.

    Its lemma_index table is also turned from lists into sets: rule_lemmatize only asks whether a form is
    in it, and in en_core_web_sm each answer scanned a list of up to 57,528 words (53 of the 60 µs a
    new word took). The stock component is the stand-in's alone once install() has swapped it out."""

    def __init__(self, stock: Lemmatizer):
        self.stock = stock
        if stock.lookups.has_table("lemma_index"):
            lookups = Lookups()
            for name in stock.lookups.tables:
                table = stock.lookups.get_table(name)
                if name == "lemma_index":
                    table = Table.from_dict({key: frozenset(words) for key, words in table.items()}, name=name)
                lookups.set_table(name, table)
            stock.lookups = lookups

    @staticmethod
    def covers(stock) -> bool:
        return (isinstance(stock, Lemmatizer) and stock.mode == "rule"
                and type(stock).rule_lemmatize is Lemmatizer.rule_lemmatize)

    def __call__(self, doc: Doc) -> Doc:
        stock = self.stock
        if not stock._validated:
            stock._validate_tables(Errors.E1004)
        if not len(doc):
            return doc
        try:
            keys = doc.to_array([ORTH, POS, MORPH, LEMMA]).reshape(len(doc), 4)
            todo = numpy.arange(len(doc)) if stock.overwrite else numpy.flatnonzero(keys[:, 3] == 0)
            if not len(todo):
                return doc
            _, first, inverse = numpy.unique(keys[todo, :3], axis=0, return_index=True, return_inverse=True)
            strings = doc.vocab.strings
            lemmas = numpy.array([strings.add(stock.lemmatize(doc[int(todo[f])])[0]) for f in first],
                                 dtype=numpy.uint64)
            column = keys[:, 3].copy()
            column[todo] = lemmas[inverse.reshape(-1)]
            doc.from_array([LEMMA], column.reshape(-1, 1))
            return doc
        except Exception as e:  # as Lemmatizer.__call__ does
            return stock.get_error_handler()(stock.name, stock, [doc], e)


STANDINS = {"framing_columnwise_attribute_ruler": ColumnwiseAttributeRuler,
            "framing_columnwise_lemmatizer": ColumnwiseLemmatizer}


@Language.factory("framing_columnwise_attribute_ruler", default_config={"stock": "attribute_ruler"})
def make_columnwise_attribute_ruler(nlp: Language, name: str, stock: str):
    return ColumnwiseAttributeRuler(nlp.get_pipe(stock))


@Language.factory("framing_columnwise_lemmatizer", default_config={"stock": "lemmatizer"})
def make_columnwise_lemmatizer(nlp: Language, name: str, stock: str):
    return ColumnwiseLemmatizer(nlp.get_pipe(stock))


def install(nlp: Language) -> list[str]:
    """Swap the stand-ins in for the stock components they cover, under the same names; the names swapped."""
    swapped = []
    for name, component in list(nlp.pipeline):
        for factory, standin in STANDINS.items():
            if standin.covers(component):
                nlp.add_pipe(factory, name=f"{name}__columnwise", after=name, config={"stock": name})
                nlp.remove_pipe(name)
                nlp.rename_pipe(f"{name}__columnwise", name)
                swapped.append(name)
    return swapped
