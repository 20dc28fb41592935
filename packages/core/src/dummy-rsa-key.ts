/**
 * The RSA public key that stands in for an unknown client's key, so that an RSA request
 * from an unknown client costs one real 2048-bit verification, like a known one. Its
 * private key was discarded when it was generated: nothing verifies against it.
 */
export const DUMMY_RSA_PUBLIC_KEY: string = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApH9OfpVR1oJx+fub3iR3
ziXgZKdey2FJD3EuBCoiHGjfWOkqDOfbpXxmO7MlrKXrH1DeGZJTphGtbPGnAC3+
ON7iEgCwDXi6jZJN5SJA9k2YL1V3/bixof3/5rtWFkgObVjQ74wN+NNfIxMm2anT
JiTB8NJ6F88xTNNC5smAgpQGZMS1H8Q0zX1aK6tla0kulxqR0Uum+8StEq/FqxjP
7mlIeAhwOqdO4sGWr1VU5SUtusnwT8w5bngctTVNAnsYmJARA8sEu3k/Ty3KbCdG
Cl45QUUFF2nbbEN3JQtHi1QuQMnOUGvaXYE70Ptg7BikbdWGf83ILJjmJBFyjx9S
8wIDAQAB
-----END PUBLIC KEY-----
`
