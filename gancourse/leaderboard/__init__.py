"""The capstone's leaderboard: models trained under one budget, scored on every metric.

See :mod:`gancourse.leaderboard.board` for an example and
:mod:`gancourse.leaderboard.contenders` for adding a model with one registered function. The
names a contender needs are here too: the budget (:mod:`gancourse.training.budget`) and what a
recipe takes and returns (:mod:`gancourse.recipes`).
"""

from ..recipes import Trained, TrainingData, fit_gan
from ..training.budget import Budget, BudgetClock
from .board import REAL, Entry, Leaderboard
from .contenders import CONTENDERS, Contender, register

__all__ = [
    "CONTENDERS",
    "REAL",
    "Budget",
    "BudgetClock",
    "Contender",
    "Entry",
    "Leaderboard",
    "Trained",
    "TrainingData",
    "fit_gan",
    "register",
]
