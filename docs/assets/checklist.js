/* Checklist: progressive enhancement of the generated task pages. */
