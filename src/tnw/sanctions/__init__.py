"""The law after the circular of 2022 on the screens (issue 9): the names of the new facts,
obligations and violations (benefit sanctions of 2023 and 2026, work potential, CODEX 2026),
the sanction periods of a dossier, and the replay of a dossier under another regime. Its own
translation catalogue (locale/) so that it does not touch the web app's."""
