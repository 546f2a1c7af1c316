"""The matcher's configuration: codes parameters first, then settings, then the defaults.

* ``mpi.match_threshold`` / ``MPI_MATCH_THRESHOLD`` — probability for an automatic link (0.99)
* ``mpi.review_threshold`` / ``MPI_REVIEW_THRESHOLD`` — probability for the review queue (0.3)
* ``mpi.population`` / ``MPI_POPULATION`` — people the registry covers, the prior (1,000,000)
* ``MPI_WEIGHTS`` — ``{field: {level: (m, u)}}`` overriding ``scoring.DEFAULT_WEIGHTS``
* ``MPI_TWIN_GUARD`` — "cjk" (default), "all" or "off"
* ``MPI_CANDIDATE_LIMIT`` — rows fetched per selective blocking key (200); ``MPI_BROAD_BLOCK_LIMIT``
  — a broad key (the name alone, initials ± 1 year) with this many rows (50) is not used;
  ``MPI_REVIEW_CANDIDATES`` — candidates queued per registration (5)

A parameter value in force (platform-wide, or the registering institution's own) wins; a parameter
that only has its default leaves the word to settings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

from yigongti.core.errors import BusinessError
from yigongti.platform.registry.mpi.scoring import (
    DEFAULT_MATCH_PROBABILITY,
    DEFAULT_POPULATION,
    DEFAULT_REVIEW_PROBABILITY,
    TWIN_GUARD_MODES,
    MatchModel,
)

PARAMETERS = {
    "match_probability": ("mpi.match_threshold", "MPI_MATCH_THRESHOLD", DEFAULT_MATCH_PROBABILITY),
    "review_probability": ("mpi.review_threshold", "MPI_REVIEW_THRESHOLD", DEFAULT_REVIEW_PROBABILITY),
    "population": ("mpi.population", "MPI_POPULATION", DEFAULT_POPULATION),
}


def _resolve(code: str, setting: str, default: Any, institution: Any) -> Any:
    from yigongti.platform.codes.choices import ValueSource
    from yigongti.platform.codes.selectors import param_resolve

    try:
        resolved = param_resolve(code, institution=institution)
    except BusinessError:  # the parameter is not defined in this database
        resolved = None
    if resolved is not None and resolved.source != ValueSource.DEFAULT:
        value = resolved.value
    else:
        value = getattr(settings, setting, None)
        if value is None:
            value = resolved.value if resolved is not None else default
    if isinstance(value, Decimal):
        value = float(value)
    return value


def match_model(institution: Any = None) -> MatchModel:
    values = {
        key: _resolve(code, setting, default, institution) for key, (code, setting, default) in PARAMETERS.items()
    }
    guard = getattr(settings, "MPI_TWIN_GUARD", "cjk")
    return MatchModel(
        weights=getattr(settings, "MPI_WEIGHTS", {}) or {},
        match_probability=float(values["match_probability"]),
        review_probability=min(float(values["review_probability"]), float(values["match_probability"])),
        population=int(values["population"]),
        twin_guard=guard if guard in TWIN_GUARD_MODES else "cjk",
    )


def candidate_limit() -> int:
    return int(getattr(settings, "MPI_CANDIDATE_LIMIT", 200))


def broad_block_limit() -> int:
    """Rows of a broad block (the name alone, initials ± 1 year) beyond which it is not selective."""
    return int(getattr(settings, "MPI_BROAD_BLOCK_LIMIT", 50))


def review_candidates() -> int:
    return int(getattr(settings, "MPI_REVIEW_CANDIDATES", 5))
