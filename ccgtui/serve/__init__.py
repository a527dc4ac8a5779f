"""``ccgtui serve``: the explorer in a browser through textual-serve.

``command`` (no third-party import) builds the app command and checks the host;
``server`` imports textual-serve and is imported only when the command runs.
"""
