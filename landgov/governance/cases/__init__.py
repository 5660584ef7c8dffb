"""Governance cases (治理案件): the state machine, dated events, evidence files, deadlines.

One case per firm and parcel on a year's 治理清单; see ``workflow.py`` for the life cycle
and ``docs/governance.md`` for who may take which step.
"""
