"""Interop peer for AEGIS: the independent libaegis (PyPI `aeg`), which PHP 8.2 lacks.

Same request/answer JSON as Fixtures/php/interop.php, for Sodium_AEGIS256GCM and
Sodium_AEGIS128LGCM, strings only (serialization is cipher-independent and covered by PHP):
payload = base64url-nopad(nonce || ct || tag32), AD = nonce (laravel-crypto v3).
"""
import base64
import json
import os
import sys

import aeg.aegis128l
import aeg.aegis256

request = json.load(sys.stdin)
module = {"Sodium_AEGIS256GCM": aeg.aegis256, "Sodium_AEGIS128LGCM": aeg.aegis128l}[request["cipher"]]
key = base64.b64decode(request["key"])


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


results = []
for item in request["items"]:
    try:
        if item["op"] == "encrypt":
            nonce = os.urandom(module.NONCEBYTES)
            body = module.encrypt(key, nonce, base64.b64decode(item["data"]), nonce, maclen=32)
            results.append(base64.urlsafe_b64encode(nonce + bytes(body)).decode().rstrip("="))
        else:
            raw = b64url_decode(item["payload"])
            nonce, body = raw[: module.NONCEBYTES], raw[module.NONCEBYTES :]
            plain = module.decrypt(key, nonce, body, nonce, maclen=32)
            results.append({"data": base64.b64encode(bytes(plain)).decode()})
    except Exception as error:  # reported back to the Swift test, which fails on it
        results.append({"error": repr(error)})
print(json.dumps({"results": results}))
