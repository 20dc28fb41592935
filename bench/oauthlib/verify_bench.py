"""The resource-endpoint workload on Python oauthlib, for comparison with ours.

A pool of header-signed HMAC-SHA1 GET requests (fresh nonce each) is signed first, then
ResourceEndpoint.validate_protected_resource_request runs over it for a fixed time.
Prints one JSON line: {"library": "oauthlib", "version": ..., "ops_per_sec": ...}.
Run with Debian's interpreter: /usr/bin/python3 verify_bench.py [seconds] [pool]
"""
import json
import sys
import time

import oauthlib
from oauthlib.oauth1 import Client, RequestValidator, ResourceEndpoint

CLIENT_KEY = "clientkey0123456789abc"
CLIENT_SECRET = "clientsecret0123456789"
TOKEN = "accesstoken01234567890"
TOKEN_SECRET = "accesssecret0123456789"
URI = "https://api.example.com/photos?file=vacation.jpg&size=original&page=2&sort=desc"


class Validator(RequestValidator):
    """Dictionary-backed, with a nonce set: the same work our MemoryStore does."""

    def __init__(self):
        super().__init__()
        self.nonces = set()

    @property
    def enforce_ssl(self):
        return True

    @property
    def dummy_client(self):
        return "dummyclient0000000000"

    @property
    def dummy_access_token(self):
        return "dummyaccesstoken00000"

    def validate_client_key(self, client_key, request):
        return client_key == CLIENT_KEY

    def get_client_secret(self, client_key, request):
        return CLIENT_SECRET if client_key == CLIENT_KEY else "dummysecret"

    def validate_access_token(self, client_key, token, request):
        return token == TOKEN

    def get_access_token_secret(self, client_key, token, request):
        return TOKEN_SECRET if token == TOKEN else "dummysecret"

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request,
                                     request_token=None, access_token=None):
        key = (client_key, timestamp, nonce, access_token)
        if key in self.nonces:
            return False
        self.nonces.add(key)
        return True

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    pool_size = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    client = Client(CLIENT_KEY, client_secret=CLIENT_SECRET,
                    resource_owner_key=TOKEN, resource_owner_secret=TOKEN_SECRET)
    pool = []
    for i in range(pool_size):
        client.nonce = "nonce%020d" % i
        uri, headers, _ = client.sign(URI)
        pool.append((uri, headers))
    client.nonce = None
    endpoint = ResourceEndpoint(Validator())
    # Sanity check: the workload must be the accepting path.
    ok, _ = endpoint.validate_protected_resource_request(pool[0][0], headers=pool[0][1])
    if not ok:
        raise SystemExit("the signed request did not verify")
    done = 1
    start = time.perf_counter()
    deadline = start + seconds
    while done < pool_size and time.perf_counter() < deadline:
        uri, headers = pool[done]
        ok, _ = endpoint.validate_protected_resource_request(uri, headers=headers)
        if not ok:
            raise SystemExit("verification failed at %d" % done)
        done += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({"library": "oauthlib", "version": oauthlib.__version__,
                      "ops": done - 1, "seconds": elapsed,
                      "ops_per_sec": (done - 1) / elapsed}))


if __name__ == "__main__":
    main()
