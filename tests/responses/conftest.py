from tests.priorities.conftest import partners, people  # noqa: F401  (fixtures)
