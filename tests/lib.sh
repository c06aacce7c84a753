# shared shell helpers for tests/*.sh
