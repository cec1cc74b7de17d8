"""The caseload screens: what a coordinator or physician with hundreds of dossiers works in.

- `/worklist/` (views.worklist): every task reachable by paging with the true count, sorted on
  every column, filtered on task, status, due window and person, in saved views (mine, my
  team, unassigned, late on arrival); each row links to the form of the registration that does
  the task (tasks.TASK_EVENTS); bulk reassign to a colleague of the same role; a CSV export of
  the whole view. Reads through `tnw.worklists.pages` (audited), writes through
  `tnw.dossier.services.assign_episode` (via `tnw.worklists.bulk`).
- The dossier page's "what next" panel (next.py, `{% what_next_panel e %}`): the next
  obligations with who, by when and why, and buttons for exactly the registrations the engine
  allows now (`tnw.dossier.selectors.registration_menu`).
- The search results (templates/caseload/includes/search_results.html) of
  `tnw.dossier.selectors.find_people`: the normalised name column (`tnw.dossier.searchkey`),
  birth date, postal code, paging with the true count.
- Double submits (once.py): a one-time form token on the registration form and on every
  edit screen.
- The edit screens (edits.py): correct or annul a registration (the original stays, shown as
  corrected or annulled with the reason; `services.correct_registration`,
  `services.annul_registration`), edit a person (`update_person`; telephone, Belgian postal
  code and birth date checked), close an episode (`close_episode`), withdraw consent
  (`withdraw_consent`); refusals next to their field, without internal codes.
- The agenda (agenda.py, `/agenda/`): a coordinator's or physician's appointments by day or
  week with their outcome (held, absent, moved), the plans' agreed next appointments, the
  confirmed proposals and the legal deadlines; an iCalendar export (ical.py) that names
  dossier numbers, not people; appointments scheduled from the dossier page; those passed
  without an outcome head the worklist.

Texts are in this app's own locale (NL/FR/DE/EN), so the shared web catalogue is untouched.
"""
