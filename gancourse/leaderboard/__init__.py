"""The capstone's leaderboard: models trained under one budget, scored on every metric.

See :mod:`gancourse.leaderboard.board` for an example and
:mod:`gancourse.leaderboard.contenders` for adding a model with one registered function.
"""

from .board import REAL, Entry, Leaderboard
from .budget import Budget, BudgetClock
from .contenders import CONTENDERS, Contender, Trained, TrainingData, fit_gan, register

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
