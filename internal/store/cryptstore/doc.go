// Package cryptstore encrypts the secrets federa keeps in its store under a
// master key the operator provides. It is a store.Store decorator, like
// cachestore: writes seal the secret fields of a record before they reach
// the wrapped store, reads open them, and every other method passes
// through unchanged.
//
// What it seals, whole fields, so it never parses a service's JSON:
//   - store.Key.Material: JWT signing keys (user pools, identity pools),
//     the session-token and sign-in-challenge sealing keys;
//   - store.AppClient.Spec: holds the client secret;
//   - store.User.Spec: the TOTP secret, the SRP salt and verifier (a fast
//     hash of the password, so as good as a password to a guesser), the
//     hashes of codes sent;
//   - store.User.PasswordHash: argon2id is slow to attack, but a copy of
//     the database should not allow offline guessing at all, and opening
//     it costs a microsecond beside the hash's tens of milliseconds;
//   - store.Message.Body: codes and temporary passwords sent to users;
//   - store.AuthCode.Spec: the PKCE challenge (the verifier itself with
//     the "plain" method) and nonce of a pending authorization code.
//
// What it leaves in clear, because it is not secret or only a lookup key:
// refresh tokens and authorization codes (stored as SHA-256 of 256-bit
// random values, and the hash is the key they are found by), user
// attributes (personal data, not credentials), pools, identity pools,
// OIDC providers (URLs, client ids, thumbprints: public), IAM roles and
// policies, buckets and object metadata.
//
// A sealed value is text: "$fed1$" + the master key's id + "$" + base64 of
// nonce‖AES-256-GCM ciphertext. The AES key is derived from the master key
// with HKDF-SHA256, and the additional data names the field and the
// record's identity, so a ciphertext copied into another record or field
// does not open. A value without the prefix is plaintext from before
// encryption was turned on: it is read as it is and sealed by the next
// write or by Rotate.
//
// A marker record (purpose "cryptstore/master-key") names the key the
// store's secrets are under, so that Open refuses a wrong key, and
// CheckPlain a server started without one, with a message saying which.
//
// cryptstore imports only the store contract, like a backend.
package cryptstore
