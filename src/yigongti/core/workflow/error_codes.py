"""Stable error codes of the workflow mechanism (messages are Chinese, built where raised)."""

INVALID_STATE = "INVALID_STATE"  # 409: the current state is not a source of the transition
NOT_ACTOR = "WORKFLOW_NOT_ACTOR"  # 403: the record is visible but the actor is not on the acting side
NOT_APPROVER = "WORKFLOW_NOT_APPROVER"  # 403: the step requires an approver role the actor lacks
SYSTEM_ONLY = "WORKFLOW_SYSTEM_ONLY"  # 403: only the system (timers) performs this transition
REFUSED = "WORKFLOW_REFUSED"  # 400: a guard refused (message = the guard's reason)
COMMENT_REQUIRED = "COMMENT_REQUIRED"  # 400: the transition requires a comment
UNKNOWN_TRANSITION = "UNKNOWN_TRANSITION"  # 404: no such transition in the workflow
