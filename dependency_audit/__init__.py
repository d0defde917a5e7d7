"""The dependency audit's offline half: a pinned copy of OSV records for the packages this project pins, and a local
server that answers OSV's query API from it, so that pip-audit (`--osv-url`) can audit the pins on a machine that
cannot reach api.osv.dev. See docs/operations.md, "Dependency audit"."""
