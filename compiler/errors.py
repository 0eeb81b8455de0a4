"""Errors a teacher can act on: one type per kind of bad input, each carrying its message."""

from __future__ import annotations


def quoted(text: object, limit: int = 60) -> str:
    """`text` in quotes for a message, cut to `limit` characters with an ellipsis: a cell may
    hold 32,767 characters, and a message or an Issues entry quoting it should not."""
    shown = str(text)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return repr(shown)


class CompilerError(Exception):
    """Base of every error the compiler raises on purpose; `str()` is the text a person sees."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross the worker-process boundary: rebuild them from the message alone.
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(cls: type[CompilerError], state: dict[str, object]) -> CompilerError:
    error = cls.__new__(cls)
    Exception.__init__(error, state["message"])
    error.__dict__.update(state)
    return error


class ExportError(CompilerError):
    """A file that cannot be used. The message names the file, what is wrong and what to do."""

    def __init__(self, file_name: str, problem: str, advice: str) -> None:
        self.file_name = file_name
        self.problem = problem
        self.advice = advice
        super().__init__(f"{file_name}: {problem} {advice}")


class UnsupportedFormat(ExportError):
    """The bytes are not a spreadsheet format we read (an image, a PDF, HTML ...)."""


class CorruptFile(ExportError):
    """The bytes claim to be a spreadsheet but cannot be read (truncated, damaged, encrypted)."""


class FileTooLarge(ExportError):
    """Too many bytes, rows or columns, or a zip that would expand too far."""


class NoResultsFound(ExportError):
    """A readable spreadsheet with no recognisable header, score column or data rows."""


class NoScoreColumn(NoResultsFound):
    """A readable table with no column of scores at all: a class roster, if it names people."""


class MissingMaximum(CompilerError):
    """Some tests hold raw points whose maximum nobody has given yet."""

    def __init__(self, tests: list[int], columns: dict[int, str] | None = None) -> None:
        self.tests = sorted(tests)
        named = columns or {}
        listed = ", ".join(
            f"test {t} ({quoted(named[t])})" if t in named else f"test {t}" for t in self.tests
        )
        super().__init__(
            f"The maximum score is not in the file for {listed}: say out of how many marks "
            f"(on the command line: --out-of {self.tests[0]}=MAX)."
        )


class NothingToCompile(CompilerError):
    """No usable files were given."""

    def __init__(self) -> None:
        super().__init__("There are no result files to compile: send or name at least one export.")
