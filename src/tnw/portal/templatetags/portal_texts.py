"""Plain words for steps, tasks and who acts (tnw.portal.texts)."""

from django import template

from tnw.portal import texts

register = template.Library()
register.filter("step_text", texts.step_text)
register.filter("task_text", texts.task_text)
register.filter("actor_text", texts.actor_text)
register.filter("document_text", texts.document_text)
register.filter("signer_text", texts.signer_text)
