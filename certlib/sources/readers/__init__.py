"""The format readers behind :mod:`certlib.sources`, one module per job.

``certlib.sources`` is the public facade: it sniffs the bytes, picks a reader from its table
(``_READERS``, kind → reader) in ``_dispatch``, and walks files and trees. The readers are here:

* ``records``: the public records ``Found``, ``Problem``, ``Provenance`` (and ``key_state``);
* ``context``: the state of one read (``_Ctx``, ``_Via``, key matching, password candidates,
  cryptography warning capture, short error texts) and the ``_FAST_PATHS`` switch;
* ``sniffing``: the container from the bytes alone, text decoding, base64; empty/unknown input;
* ``pem``: PEM text, block by block (keys, TRUSTED CERTIFICATE, JSON-escaped PEM);
* ``binary``: DER elements, PKCS#7 bundles, and the DER that is not a certificate;
* ``pkcs12``: PFX with the password ladder;
* ``stores``: Windows SST and Java keystores (parsed by ``certlib.sources.sst`` /
``certlib.sources.jks``); * ``tabular``: CSV, PowerShell ``Export-Csv`` above all;
* ``documents``: YAML/JSON, Kubernetes Secrets, the bounded walk over other documents;
* ``archives``: zip (with its limits) and gzip.

Imports only point one way: ``certlib.sources`` imports the readers, and a reader imports only
readers below it (``records`` ← ``context`` ← ``sniffing`` ← ``pkcs12`` ← ``binary`` ← ``pem`` …),
never the facade. The readers that find bytes inside bytes and must start over with sniffing
(base64 text, CSV cells, document values, zip members) reach the dispatcher through the context
of the read: the facade creates each ``_Ctx`` with ``dispatch=_dispatch`` and those readers call
``ctx.dispatch(data, ctx, via)`` (a zip member's own ``_Ctx`` inherits it). No registration at
import time and no late import; the reader table stays in one place, the facade, where a test
can still swap an entry of ``certlib.sources._READERS``.

``context._FAST_PATHS`` turns every fast path off when set to False (tests compare both ways); the
readers read it as ``context._FAST_PATHS`` at call time, so setting it there reaches them all.
"""
