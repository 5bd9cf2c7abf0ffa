/*
 * A libolm consumer, as a packager would write one to check an installed
 * libolm: it uses only the public headers and links only -lolm.
 *
 * The same source is built twice by scripts/capi-tests, once by CMake
 * (find_package(Olm) and Olm::Olm) and once with pkg-config's flags; the
 * script then runs the steps below, alternating the two programs. Every step
 * unpickles the whole state (two accounts, two Olm sessions, a Megolm
 * outbound and inbound session) from the folder, acts for one side and
 * pickles everything again, so each program carries on from pickles the
 * other one wrote.
 *
 *   init     Alice and Bob create accounts; Bob publishes a signed one-time key.
 *   send     Alice checks the signature, opens an Olm session to Bob, starts
 *            a Megolm session, sends its key over Olm and a first room message.
 *   receive  Bob opens the inbound session, decrypts the room key, joins the
 *            Megolm session, decrypts the room message and replies over Olm.
 *   reply    Alice decrypts the reply, sends a second room message and a
 *            second Olm message.
 *   finish   Bob decrypts both, and both sides agree on the session ids.
 *
 * Usage: consumer STEP DIR. Exits 0 on success, 1 on any failure or mismatch.
 */
#include <olm/olm.h>
#include <olm/inbound_group_session.h>
#include <olm/outbound_group_session.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char PICKLE_KEY[] = "consumer test pickle key";
static const char *dir;
static const char *program;

static void fail(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "%s: ", program);
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(1);
}

static void *xmalloc(size_t size) {
    void *p = calloc(1, size + 1);
    if (!p) fail("out of memory");
    return p;
}

static char *path(const char *name) {
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

/* Reads DIR/name, NUL-terminated; NULL if it does not exist. */
static char *read_file(const char *name, size_t *length) {
    FILE *f = fopen(path(name), "rb");
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0) fail("cannot seek %s", name);
    long size = ftell(f);
    if (size < 0) fail("cannot size %s", name);
    rewind(f);
    char *data = xmalloc((size_t)size);
    if (fread(data, 1, (size_t)size, f) != (size_t)size) fail("cannot read %s", name);
    fclose(f);
    *length = (size_t)size;
    return data;
}

static char *need_file(const char *name, size_t *length) {
    char *data = read_file(name, length);
    if (!data) fail("missing %s", name);
    return data;
}

static void write_file(const char *name, const void *data, size_t length) {
    FILE *f = fopen(path(name), "wb");
    if (!f || fwrite(data, 1, length, f) != length || fclose(f) != 0) fail("cannot write %s", name);
}

static void *random_bytes(size_t length) {
    void *buf = xmalloc(length);
    if (length == 0) return buf;
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f || fread(buf, 1, length, f) != length) fail("cannot read /dev/urandom");
    fclose(f);
    return buf;
}

/* Checks a libolm result: olm_error() means failure, with the object's error. */
static size_t check(size_t result, const char *what, const char *last_error) {
    if (result == olm_error()) fail("%s failed: %s", what, last_error);
    return result;
}

/* The value after "key":" in a JSON text, copied into a fresh string. */
static char *json_string(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = strstr(json, pattern);
    if (!start) fail("no %s in %s", key, json);
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    if (!end) fail("unterminated %s in %s", key, json);
    char *value = xmalloc((size_t)(end - start));
    memcpy(value, start, (size_t)(end - start));
    return value;
}

static void expect_text(const char *what, const void *got, size_t got_length, const char *want) {
    if (got_length != strlen(want) || memcmp(got, want, got_length) != 0)
        fail("%s: got \"%.*s\", expected \"%s\"", what, (int)got_length, (const char *)got, want);
}

/* ---- the state: each object is pickled to DIR/NAME.pickle ---- */

static OlmAccount *alice, *bob;
static OlmSession *alice_session, *bob_session;
static OlmOutboundGroupSession *alice_room;
static OlmInboundGroupSession *bob_room;
static int have_alice, have_bob, have_alice_session, have_bob_session, have_alice_room, have_bob_room;

#define PICKLED(kind, type, fn_suffix)                                                              \
    static int load_##kind(type *object, const char *name) {                                        \
        size_t length;                                                                              \
        char *pickle = read_file(name, &length);                                                    \
        if (!pickle) return 0;                                                                      \
        check(olm_unpickle_##fn_suffix(object, PICKLE_KEY, strlen(PICKLE_KEY), pickle, length),     \
              name, olm_##kind##_last_error(object));                                               \
        free(pickle);                                                                               \
        return 1;                                                                                   \
    }                                                                                               \
    static void save_##kind(type *object, const char *name) {                                       \
        size_t length = olm_pickle_##fn_suffix##_length(object);                                    \
        char *pickle = xmalloc(length);                                                             \
        check(olm_pickle_##fn_suffix(object, PICKLE_KEY, strlen(PICKLE_KEY), pickle, length), name, \
              olm_##kind##_last_error(object));                                                     \
        write_file(name, pickle, length);                                                           \
        free(pickle);                                                                               \
    }

PICKLED(account, OlmAccount, account)
PICKLED(session, OlmSession, session)
PICKLED(outbound_group_session, OlmOutboundGroupSession, outbound_group_session)
PICKLED(inbound_group_session, OlmInboundGroupSession, inbound_group_session)

static void load_all(void) {
    alice = olm_account(xmalloc(olm_account_size()));
    bob = olm_account(xmalloc(olm_account_size()));
    alice_session = olm_session(xmalloc(olm_session_size()));
    bob_session = olm_session(xmalloc(olm_session_size()));
    alice_room = olm_outbound_group_session(xmalloc(olm_outbound_group_session_size()));
    bob_room = olm_inbound_group_session(xmalloc(olm_inbound_group_session_size()));
    have_alice = load_account(alice, "alice.account.pickle");
    have_bob = load_account(bob, "bob.account.pickle");
    have_alice_session = load_session(alice_session, "alice.session.pickle");
    have_bob_session = load_session(bob_session, "bob.session.pickle");
    have_alice_room = load_outbound_group_session(alice_room, "alice.room.pickle");
    have_bob_room = load_inbound_group_session(bob_room, "bob.room.pickle");
}

static void save_all(void) {
    if (have_alice) save_account(alice, "alice.account.pickle");
    if (have_bob) save_account(bob, "bob.account.pickle");
    if (have_alice_session) save_session(alice_session, "alice.session.pickle");
    if (have_bob_session) save_session(bob_session, "bob.session.pickle");
    if (have_alice_room) save_outbound_group_session(alice_room, "alice.room.pickle");
    if (have_bob_room) save_inbound_group_session(bob_room, "bob.room.pickle");
    olm_clear_account(alice);
    olm_clear_account(bob);
    olm_clear_session(alice_session);
    olm_clear_session(bob_session);
    olm_clear_outbound_group_session(alice_room);
    olm_clear_inbound_group_session(bob_room);
}

/* ---- helpers over the API ---- */

static void create_account(OlmAccount *account) {
    size_t length = olm_create_account_random_length(account);
    void *random = random_bytes(length);
    check(olm_create_account(account, random, length), "olm_create_account", olm_account_last_error(account));
    free(random);
}

static char *identity_key(OlmAccount *account, const char *which) {
    size_t length = olm_account_identity_keys_length(account);
    char *json = xmalloc(length);
    check(olm_account_identity_keys(account, json, length), "olm_account_identity_keys",
          olm_account_last_error(account));
    char *key = json_string(json, which);
    free(json);
    return key;
}

/* Encrypts over Olm; writes the message to DIR/name and returns its type. */
static size_t olm_send(OlmSession *session, const char *plaintext, const char *name) {
    size_t type = olm_encrypt_message_type(session);
    size_t random_length = olm_encrypt_random_length(session);
    void *random = random_bytes(random_length);
    size_t length = olm_encrypt_message_length(session, strlen(plaintext));
    char *message = xmalloc(length);
    check(olm_encrypt(session, plaintext, strlen(plaintext), random, random_length, message, length),
          "olm_encrypt", olm_session_last_error(session));
    write_file(name, message, length);
    char type_text[2] = {(char)('0' + type), 0};
    char type_name[256];
    snprintf(type_name, sizeof type_name, "%s.type", name);
    write_file(type_name, type_text, 1);
    free(random);
    free(message);
    return type;
}

static size_t message_type(const char *name) {
    char type_name[256];
    size_t length;
    snprintf(type_name, sizeof type_name, "%s.type", name);
    char *text = need_file(type_name, &length);
    size_t type = (size_t)(text[0] - '0');
    free(text);
    return type;
}

/* Decrypts DIR/name over Olm; returns the plaintext, NUL-terminated. */
static char *olm_receive(OlmSession *session, const char *name, size_t *plaintext_length) {
    size_t type = message_type(name), length;
    char *message = need_file(name, &length);
    char *copy = xmalloc(length);
    memcpy(copy, message, length); /* libolm decodes messages in place */
    size_t max = check(olm_decrypt_max_plaintext_length(session, type, copy, length),
                       "olm_decrypt_max_plaintext_length", olm_session_last_error(session));
    char *plaintext = xmalloc(max);
    *plaintext_length = check(olm_decrypt(session, type, message, length, plaintext, max), "olm_decrypt",
                              olm_session_last_error(session));
    plaintext[*plaintext_length] = 0;
    free(copy);
    free(message);
    return plaintext;
}

static void room_send(const char *plaintext, const char *name) {
    size_t length = olm_group_encrypt_message_length(alice_room, strlen(plaintext));
    uint8_t *message = xmalloc(length);
    check(olm_group_encrypt(alice_room, (const uint8_t *)plaintext, strlen(plaintext), message, length),
          "olm_group_encrypt", olm_outbound_group_session_last_error(alice_room));
    write_file(name, message, length);
    free(message);
}

static void room_receive(const char *name, const char *want, uint32_t want_index) {
    size_t length;
    uint8_t *message = (uint8_t *)need_file(name, &length);
    uint8_t *copy = xmalloc(length);
    memcpy(copy, message, length);
    size_t max = check(olm_group_decrypt_max_plaintext_length(bob_room, copy, length),
                       "olm_group_decrypt_max_plaintext_length", olm_inbound_group_session_last_error(bob_room));
    uint8_t *plaintext = xmalloc(max);
    uint32_t index = 0;
    size_t got = check(olm_group_decrypt(bob_room, message, length, plaintext, max, &index), "olm_group_decrypt",
                       olm_inbound_group_session_last_error(bob_room));
    expect_text("Megolm plaintext", plaintext, got, want);
    if (index != want_index) fail("Megolm message index %u, expected %u", index, want_index);
    free(plaintext);
    free(copy);
    free(message);
}

static void need(int present, const char *what) {
    if (!present) fail("%s missing: steps run out of order?", what);
}

/* ---- the steps ---- */

static const char ROOM_1[] = "First message in the room";
static const char ROOM_2[] = "Second message in the room";
static const char REPLY[] = "Bob got the room key";
static const char OLM_2[] = "Alice's second Olm message";

static void step_init(void) {
    create_account(alice);
    create_account(bob);
    have_alice = have_bob = 1;

    size_t random_length = olm_account_generate_one_time_keys_random_length(bob, 1);
    void *random = random_bytes(random_length);
    check(olm_account_generate_one_time_keys(bob, 1, random, random_length), "olm_account_generate_one_time_keys",
          olm_account_last_error(bob));
    free(random);
    size_t length = olm_account_one_time_keys_length(bob);
    char *json = xmalloc(length);
    check(olm_account_one_time_keys(bob, json, length), "olm_account_one_time_keys", olm_account_last_error(bob));
    /* {"curve25519":{"AAAAAQ":"<key>"}}: the key is the value after the id. */
    const char *inner = strstr(json, "\":{\"");
    if (!inner) fail("unexpected one-time keys JSON %s", json);
    const char *value = strstr(inner + 4, "\":\"");
    if (!value) fail("unexpected one-time keys JSON %s", json);
    value += 3;
    const char *end = strchr(value, '"');
    if (!end || end - value != 43) fail("unexpected one-time key in %s", json);
    write_file("bob.one-time-key", value, 43);

    size_t signature_length = olm_account_signature_length(bob);
    char *signature = xmalloc(signature_length);
    check(olm_account_sign(bob, value, 43, signature, signature_length), "olm_account_sign",
          olm_account_last_error(bob));
    write_file("bob.one-time-key.signature", signature, signature_length);
    check(olm_account_mark_keys_as_published(bob), "olm_account_mark_keys_as_published",
          olm_account_last_error(bob));
    free(signature);
    free(json);
}

static void step_send(void) {
    need(have_alice && have_bob, "accounts");
    char *bob_curve = identity_key(bob, "curve25519");
    char *bob_ed = identity_key(bob, "ed25519");
    size_t key_length, signature_length;
    char *one_time_key = need_file("bob.one-time-key", &key_length);
    char *signature = need_file("bob.one-time-key.signature", &signature_length);

    OlmUtility *utility = olm_utility(xmalloc(olm_utility_size()));
    check(olm_ed25519_verify(utility, bob_ed, strlen(bob_ed), one_time_key, key_length, signature, signature_length),
          "olm_ed25519_verify of Bob's one-time key", olm_utility_last_error(utility));
    signature[0] = signature[0] == 'A' ? 'B' : 'A';
    if (olm_ed25519_verify(utility, bob_ed, strlen(bob_ed), one_time_key, key_length, signature, signature_length) !=
        olm_error())
        fail("a corrupted signature verified");
    olm_clear_utility(utility);

    size_t random_length = olm_create_outbound_session_random_length(alice_session);
    void *random = random_bytes(random_length);
    check(olm_create_outbound_session(alice_session, alice, bob_curve, strlen(bob_curve), one_time_key, key_length,
                                      random, random_length),
          "olm_create_outbound_session", olm_session_last_error(alice_session));
    have_alice_session = 1;
    free(random);

    random_length = olm_init_outbound_group_session_random_length(alice_room);
    random = random_bytes(random_length);
    check(olm_init_outbound_group_session(alice_room, random, random_length), "olm_init_outbound_group_session",
          olm_outbound_group_session_last_error(alice_room));
    have_alice_room = 1;
    free(random);

    size_t room_key_length = olm_outbound_group_session_key_length(alice_room);
    uint8_t *room_key = xmalloc(room_key_length);
    check(olm_outbound_group_session_key(alice_room, room_key, room_key_length), "olm_outbound_group_session_key",
          olm_outbound_group_session_last_error(alice_room));
    if (olm_send(alice_session, (const char *)room_key, "room-key.olm") != OLM_MESSAGE_TYPE_PRE_KEY)
        fail("the first Olm message is not a pre-key message");
    room_send(ROOM_1, "room-1.megolm");
    if (olm_outbound_group_session_message_index(alice_room) != 1) fail("Megolm index did not advance");
    free(room_key);
    free(one_time_key);
    free(signature);
    free(bob_curve);
    free(bob_ed);
}

static void step_receive(void) {
    need(have_bob && have_alice && have_alice_room, "Bob's account, Alice's account and room");
    char *alice_curve = identity_key(alice, "curve25519");
    size_t length;
    char *message = need_file("room-key.olm", &length);
    if (message_type("room-key.olm") != OLM_MESSAGE_TYPE_PRE_KEY) fail("expected a pre-key message");
    char *copy = xmalloc(length);
    memcpy(copy, message, length);
    check(olm_create_inbound_session_from(bob_session, bob, alice_curve, strlen(alice_curve), copy, length),
          "olm_create_inbound_session_from", olm_session_last_error(bob_session));
    have_bob_session = 1;
    memcpy(copy, message, length);
    if (check(olm_matches_inbound_session_from(bob_session, alice_curve, strlen(alice_curve), copy, length),
              "olm_matches_inbound_session_from", olm_session_last_error(bob_session)) != 1)
        fail("the new session does not match its pre-key message");
    check(olm_remove_one_time_keys(bob, bob_session), "olm_remove_one_time_keys", olm_account_last_error(bob));
    free(copy);
    free(message);

    size_t room_key_length;
    char *room_key = olm_receive(bob_session, "room-key.olm", &room_key_length);
    check(olm_init_inbound_group_session(bob_room, (const uint8_t *)room_key, room_key_length),
          "olm_init_inbound_group_session", olm_inbound_group_session_last_error(bob_room));
    have_bob_room = 1;
    if (olm_inbound_group_session_first_known_index(bob_room) != 0) fail("first known index is not 0");
    room_receive("room-1.megolm", ROOM_1, 0);

    if (olm_send(bob_session, REPLY, "reply.olm") != OLM_MESSAGE_TYPE_MESSAGE)
        fail("Bob's reply is not a normal message");
    free(room_key);
    free(alice_curve);
}

static void step_reply(void) {
    need(have_alice_session && have_alice_room, "Alice's session and room");
    if (olm_session_has_received_message(alice_session)) fail("Alice's session has received before the reply");
    size_t length;
    char *reply = olm_receive(alice_session, "reply.olm", &length);
    expect_text("Olm reply", reply, length, REPLY);
    if (!olm_session_has_received_message(alice_session)) fail("Alice's session does not know it received");
    room_send(ROOM_2, "room-2.megolm");
    if (olm_send(alice_session, OLM_2, "second.olm") != OLM_MESSAGE_TYPE_MESSAGE)
        fail("Alice's message after the reply is still a pre-key message");
    free(reply);
}

static void step_finish(void) {
    need(have_bob_session && have_bob_room && have_alice_session && have_alice_room, "every session");
    room_receive("room-2.megolm", ROOM_2, 1);
    size_t length;
    char *text = olm_receive(bob_session, "second.olm", &length);
    expect_text("second Olm message", text, length, OLM_2);
    free(text);

    /* A replayed Megolm message decrypts again (the caller tracks replays),
       at the same index. */
    room_receive("room-1.megolm", ROOM_1, 0);

    size_t a_length = olm_session_id_length(alice_session), b_length = olm_session_id_length(bob_session);
    char *a_id = xmalloc(a_length), *b_id = xmalloc(b_length);
    check(olm_session_id(alice_session, a_id, a_length), "olm_session_id", olm_session_last_error(alice_session));
    check(olm_session_id(bob_session, b_id, b_length), "olm_session_id", olm_session_last_error(bob_session));
    if (a_length != b_length || memcmp(a_id, b_id, a_length) != 0) fail("the Olm session ids differ");

    a_length = olm_outbound_group_session_id_length(alice_room);
    b_length = olm_inbound_group_session_id_length(bob_room);
    uint8_t *a_room = xmalloc(a_length), *b_room = xmalloc(b_length);
    check(olm_outbound_group_session_id(alice_room, a_room, a_length), "olm_outbound_group_session_id",
          olm_outbound_group_session_last_error(alice_room));
    check(olm_inbound_group_session_id(bob_room, b_room, b_length), "olm_inbound_group_session_id",
          olm_inbound_group_session_last_error(bob_room));
    if (a_length != b_length || memcmp(a_room, b_room, a_length) != 0) fail("the Megolm session ids differ");
    free(a_id);
    free(b_id);
    free(a_room);
    free(b_room);
}

int main(int argc, char **argv) {
    program = argv[0];
    if (argc != 3) fail("usage: %s init|send|receive|reply|finish DIR", argv[0]);
    dir = argv[2];

    uint8_t major = 0, minor = 0, patch = 0;
    olm_get_library_version(&major, &minor, &patch);
    if (major != 3 || minor != 2 || patch != 16)
        fail("olm_get_library_version reports %u.%u.%u, expected 3.2.16", major, minor, patch);

    load_all();
    const char *step = argv[1];
    if (strcmp(step, "init") == 0) step_init();
    else if (strcmp(step, "send") == 0) step_send();
    else if (strcmp(step, "receive") == 0) step_receive();
    else if (strcmp(step, "reply") == 0) step_reply();
    else if (strcmp(step, "finish") == 0) step_finish();
    else fail("unknown step %s", step);
    save_all();
    printf("%s: %s ok (libolm %u.%u.%u)\n", program, step, major, minor, patch);
    return 0;
}
