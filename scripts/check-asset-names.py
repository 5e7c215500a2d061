"""Every built file the server keeps for a year must be named by its content's hash.

cargo-leptos names each file in the site's pkg folder by the MD5 of its content (base64url), then
rewrites the entry files (the main JS and WASM, and the split manifest) to point at the others'
new names; the server checks those again on each use instead (see `asset_caching` in
server/src/middleware.rs). Any other file whose name does not match its content would be cached
stale for a year. Usage: check-asset-names.py <pkg dir> <output name>
"""
import base64
import hashlib
import os
import re
import sys

pkg, output = sys.argv[1], sys.argv[2]
checked, wrong = 0, []
for name in sorted(os.listdir(pkg)):
    m = re.fullmatch(r"(.+)\.([A-Za-z0-9_-]{22})\.(js|wasm|css)", name)
    if not m or (m.group(1) == output and m.group(3) in ("js", "wasm")):
        continue
    with open(os.path.join(pkg, name), "rb") as f:
        digest = base64.urlsafe_b64encode(hashlib.md5(f.read()).digest()).rstrip(b"=").decode()
    checked += 1
    if digest != m.group(2):
        wrong.append(name)
if wrong or checked == 0:
    sys.exit(f"asset names that do not match their content ({checked} checked): {' '.join(wrong) or 'none found'}")
print(f"{checked} hashed asset names match their content")
