"""The emergency and protected-case flows, and the nodes they share (re-exported by `workflows.flows`)."""
