"""The meeting: signed links, the Voila server, the kernel's entry point, slots and the
widget-message guard.

* :mod:`~pmkit.meeting.links`    signed, expiring, revocable links per role
* :mod:`~pmkit.meeting.server`   ``pmkit serve``: Voila, standalone and hardened
* :mod:`~pmkit.meeting.app`      ``run()``, the meeting notebook's entry point and the
  kernel's start edge
* :mod:`~pmkit.meeting.slots`    at most N kernels build their board at once
* :mod:`~pmkit.meeting.guard`    what the page may tell a widget; the edge for the widget
  machinery's tracebacks

What this package relies on inside Voila 0.5 and ipywidgets 8 (not their public API;
check each on upgrade):

* ``voila.app.Voila.init_handlers()`` returns tornado handler tuples whose second item is
  ``voila.tornado.handler.TornadoVoilaHandler`` (the page; its ``get_generator(path=)``
  yields the page in chunks, ``<script>window.voila_heartbeat()</script>`` while the
  kernel works) and ``voila.tornado.kernel_websocket_handler.VoilaKernelWebsocketHandler``
  (whose ``write_message`` reads every binary frame as the v1 protocol): server.py
  swaps in its own subclasses.
* ``VoilaConfiguration.prelaunch_hook(req, notebook, cwd)`` runs before a kernel starts
  and may ``raise tornado.web.Finish()``; Voila does not call it with
  ``preheat_kernel=True``. ``file_allowlist`` / ``file_denylist`` govern
  ``/voila/files/``. ``Voila.connection_dir_root`` places the kernels' connection files.
* A preheated kernel gets its request only after ``voila.utils.wait_for_request()``; the
  query string then arrives as the ``QUERY_STRING`` environment variable (app.py).
* The page's unload POST needs the ``_xsrf`` cookie, which server.py sets (voila
  issue 1458).
* ipywidgets: ``Widget._handle_msg`` receives every comm message of a widget (``update``,
  ``request_state``, ``custom``) and reports an exception through the shell's
  ``showtraceback()`` (its ``_show_traceback`` wrapper, and ``CallbackDispatcher`` for
  click and message callbacks), which ipykernel sends to the page as an iopub ``error``;
  ``set_state`` converts a value with the trait's ``from_json`` metadata (default
  ``Widget._trait_from_json``); ``_put_buffers(state, buffer_paths, buffers)`` puts the
  binary parts back; traitlets' ``TraitType._validate(obj, value)`` runs the trait's own
  and the widget's cross validation (guard.py).
* ipywidgets' views (the page script ``templates/voila/templates/pmkit/static/pmkit-page.js``
  and :mod:`pmkit.widgets.look`): a widget's ``tooltip`` becomes the ``title`` of its
  control (list box, text box, drop-down; the ``img`` of an Image) only while its
  ``description`` is empty, and the base view reads ``description`` first (an Image has none:
  ``ChartImage`` adds it); a list box writes its options with no-break spaces; a slider's
  handle is noUiSlider's ``.noUi-handle`` beside a ``.widget-readout``; Lumino's tab bar
  moves focus with the arrow keys and selects with Enter or Space.
* Inside a kernel, ``sys.stderr`` and fd 2 are forwarded to the page, while
  ``sys.stderr.fileno()`` is ipykernel's copy of the original stream (pmkit/logs.py).
"""
