"""The one catalogue of OIDs and names: EKU key purposes, Key Usage bits, extensions.

Everything else in certlib (decoding, verdicts, widgets, notebooks) looks names up here, so
that a dotted OID is spelled exactly once in the code base.

Sources, per entry in ``source``:

* RFC 5280 §4.2.1.12 — the six key purposes and their "key usage bits that may be consistent".
* OpenSSL 3.0.19 ``openssl x509 -text`` display names, confirmed on the binary
  (docs/semantics.md §0.1).
* Windows friendly names: the .NET ``OidLookup.cs`` table generated from Windows 10.
* Windows certificate-dialog "intended purpose" sentences: third-party reproductions only
  (docs/semantics.md §3.4), so every one is marked ``windows_purpose_verified=False``.

The catalogue is split by concept (:mod:`.key_purposes`, :mod:`.extensions`,
:mod:`.algorithms`, :mod:`.names`); every name is re-exported here, so
``from certlib.core.oids import X`` is the one way to import it.
"""

from __future__ import annotations

from certlib.core.oids.algorithms import (
    EC_CURVES,
    PUBLIC_KEY_ALGORITHMS,
    SIGNATURE_ALGORITHMS,
    PublicKeyAlgorithm,
    SignatureAlgorithm,
    public_key_algorithm,
    signature_algorithm,
)
from certlib.core.oids.extensions import (
    ANY_POLICY,
    EXAMPLE_UNKNOWN_OID,
    EXT,
    OTHER_NAME,
    ExtensionInfo,
    OtherNameType,
    extension,
    extension_catalogue,
    other_name,
)
from certlib.core.oids.key_purposes import (
    EKU,
    KU_BITS,
    NS_CERT_TYPE_BITS,
    KeyPurpose,
    KeyUsageBit,
    NetscapeCertTypeBit,
    eku,
    eku_catalogue,
    ku_bit,
)
from certlib.core.oids.names import (
    CONTENT_TYPE,
    NAME_ATTRIBUTE_RFC4514_NAMES,
    NAME_ATTRIBUTE_SHORT_NAMES,
)

__all__ = [
    "ANY_POLICY",
    "CONTENT_TYPE",
    "EC_CURVES",
    "EKU",
    "EXAMPLE_UNKNOWN_OID",
    "EXT",
    "KU_BITS",
    "NAME_ATTRIBUTE_RFC4514_NAMES",
    "NAME_ATTRIBUTE_SHORT_NAMES",
    "NS_CERT_TYPE_BITS",
    "OTHER_NAME",
    "PUBLIC_KEY_ALGORITHMS",
    "SIGNATURE_ALGORITHMS",
    "ExtensionInfo",
    "KeyPurpose",
    "KeyUsageBit",
    "NetscapeCertTypeBit",
    "OtherNameType",
    "PublicKeyAlgorithm",
    "SignatureAlgorithm",
    "eku",
    "eku_catalogue",
    "extension",
    "extension_catalogue",
    "ku_bit",
    "other_name",
    "public_key_algorithm",
    "signature_algorithm",
]
