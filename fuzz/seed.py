#!/usr/bin/env python3
"""Seeds for the fuzz corpora (docs/fuzzing.md): the bodies the decoding tests send
(actions-runtime/tests/integration/decoding.txt), a few multipart bodies like the tests', and
the headers the auth and idempotency tests send. Writes fuzz/seeds/<target>/; `cargo fuzz cmin`
then keeps what adds coverage in fuzz/corpus/<target>/."""
import hashlib, os, re, struct

HERE = os.path.dirname(os.path.abspath(__file__))
SNAPSHOT = os.path.join(HERE, "..", "actions-runtime", "tests", "integration", "decoding.txt")
OUT = os.path.join(HERE, "seeds")


def unescape(text):
    """Rust's `escape_debug`, undone."""
    out, i = [], 0
    simple = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'"}
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n in simple:
                out.append(simple[n]); i += 2; continue
            m = re.match(r"u\{([0-9a-fA-F]+)\}", text[i + 1:])
            if m:
                out.append(chr(int(m.group(1), 16))); i += 1 + m.end(); continue
        out.append(c); i += 1
    return "".join(out)


def write(target, data):
    os.makedirs(os.path.join(OUT, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(OUT, target, name), "wb") as f:
        f.write(data)


for line in open(SNAPSHOT, encoding="utf-8"):
    m = re.match(r"^\S+ \[([^\]]*)\] (.*)$", line.rstrip("\n"))
    if not m:
        continue
    kind, body = m.group(1).lower(), unescape(m.group(2))
    if "json" in kind:
        write("json", body)
    elif "urlencoded" in kind:
        write("urlencoded", body)


def part(name, value, filename=None, content_type=None):
    head = f'Content-Disposition: form-data; name="{name}"'
    if filename is not None:
        head += f'; filename="{filename}"'
    if content_type:
        head += f"\r\nContent-Type: {content_type}"
    return f"--zz\r\n{head}\r\n\r\n{value}\r\n"


forms = [
    [part("name", "Ada"), part("age", "36"), part("score", "1.5"), part("agree", "on"),
     part("address.city", "Paris"), part("items.0.sku", "ink"), part("items.0.quantity", "2"),
     part("plan", "draft"), part("tags", "a"), part("tags", "b")],
    [part("name", "Ada"), part("avatar", "\x89PNG", "a.png", "image/png")],
    [part("avatar", "", "", "application/octet-stream"), part("a.b", "1"), part("a", "2")],
    [part("name", "x" * 64), part("lucky", "7"), part("lucky", "-1")],
]
for parts in forms:
    write("multipart", "zz\n" + "".join(parts) + "--zz--\r\n")
write("multipart", "zz\n--zz\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--zz--\r\n")

# The structured targets read their input through `arbitrary`: any bytes are a case, so these
# seeds are only a start the fuzzer mutates from.
for text in ["better-auth.session_token=abc; other=1", "Bearer abc", "bearer  token ",
             "__Secure-better-auth.session_token=tok"]:
    write("session_token", text)
for text in ["https://app.example", "https://app.example:443/path?q", "null",
             "HTTPS://APP.EXAMPLE/", "http://[::1]:80", "same-origin", "cross-site"]:
    write("csrf", text)
for text in ['"a3f9c2e0-1b2c-4d5e-8f90-123456789abc"', "key-1", '""', " padded ", "x" * 256]:
    write("idempotency_key", text)
