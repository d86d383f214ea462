"""Multiple-choice and true/false questions with immediate, explained feedback and a score.

A :class:`Question` may carry a ``check``: a function that computes the right choice from
certlib itself (e.g. by calling :func:`certlib.verdict` on a forged certificate). The quiz then
takes its answer from the engine, and :meth:`Question.verify` fails loudly if a stated
``answer`` and the engine ever disagree, so the text cannot silently drift from the code.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["TRUE_FALSE", "Feedback", "Question", "Quiz", "QuizModel"]

TRUE_FALSE: tuple[str, str] = ("True", "False")


@dataclass(frozen=True)
class Question:
    """One question. ``answer`` is one of ``choices``; ``check()`` (if given) must return one.

    ``prompt`` may contain inline HTML (``<code>``); ``explanation`` is plain text.
    """

    prompt: str
    choices: Sequence[str] = TRUE_FALSE
    answer: str | None = None
    explanation: str = ""
    check: Callable[[], str] | None = None

    def __post_init__(self) -> None:
        if self.answer is None and self.check is None:
            raise ValueError("a Question needs an answer or a check")
        if self.answer is not None and self.answer not in self.choices:
            raise ValueError(f"answer {self.answer!r} is not one of {list(self.choices)}")

    @property
    def correct(self) -> str:
        """The right choice: computed by ``check`` when there is one."""
        if self.check is not None:
            value = self.check()
            if value not in self.choices:
                raise ValueError(f"check() returned {value!r}, not one of {list(self.choices)}")
            return value
        assert self.answer is not None
        return self.answer

    def verify(self) -> str:
        """The right choice, after asserting ``answer`` (if stated) agrees with ``check``."""
        right = self.correct
        if self.answer is not None and right != self.answer:
            raise AssertionError(
                f"quiz drift: {self.prompt!r} states {self.answer!r}, certlib says {right!r}"
            )
        return right


@dataclass(frozen=True)
class Feedback:
    correct: bool
    text: str


class QuizModel:
    """Answers and score, no widgets. The latest answer to each question counts."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self.questions = tuple(questions)
        self._correct = tuple(q.verify() for q in self.questions)
        self.answers: dict[int, str] = {}

    def answer(self, index: int, choice: str) -> Feedback:
        q = self.questions[index]
        if choice not in q.choices:
            raise ValueError(f"{choice!r} is not a choice of question {index + 1}")
        self.answers[index] = choice
        right = self._correct[index]
        ok = choice == right
        head = "Correct." if ok else f"Not quite — the answer is “{right}”."
        return Feedback(ok, f"{head} {q.explanation}".strip())

    @property
    def score(self) -> int:
        return sum(1 for i, a in self.answers.items() if a == self._correct[i])

    @property
    def total(self) -> int:
        return len(self.questions)

    def score_text(self) -> str:
        return f"Score: {self.score} / {self.total} ({len(self.answers)} answered)"


class Quiz:
    """The widget: one RadioButtons per question, feedback on every choice, a running score.

    Views: ``feedback[i]`` (``HTML``, class ``certlib-quiz-feedback``) and ``score``
    (``Label``, class ``certlib-quiz-score``).
    """

    def __init__(self, questions: Sequence[Question], title: str = "Check yourself") -> None:
        import ipywidgets as w

        self.model = QuizModel(questions)
        self.radios: list[Any] = []
        self.feedback: list[Any] = []
        self.score = w.Label(value=self.model.score_text())
        self.score.add_class("certlib-quiz-score")
        rows: list[Any] = [w.HTML(f"<b>{html.escape(title)}</b>")]
        for i, q in enumerate(self.model.questions):
            radio = w.RadioButtons(
                options=list(q.choices), value=None, layout=w.Layout(width="max-content")
            )
            radio.add_class("certlib-quiz-choices")
            fb = w.HTML()
            fb.add_class("certlib-quiz-feedback")
            radio.observe(lambda c, i=i: self.choose(i, c["new"]), names="value")
            self.radios.append(radio)
            self.feedback.append(fb)
            rows += [w.HTML(f"<div>{i + 1}. {q.prompt}</div>"), radio, fb]
        rows.append(self.score)
        self.widget = w.VBox(rows)
        self.widget.add_class("certlib-quiz")

    def choose(self, index: int, choice: str | None) -> None:
        if choice is None:
            return
        fb = self.model.answer(index, choice)
        colour = "#123d0c" if fb.correct else "#5c0b0b"
        mark = "✓" if fb.correct else "✗"
        self.feedback[index].value = (
            f'<div class="certlib-quiz-{"right" if fb.correct else "wrong"}" '
            f'style="color:{colour}">{mark} {html.escape(fb.text)}</div>'
        )
        self.score.value = self.model.score_text()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
