/* Attack: the kernel keyrings, which no mount or pid namespace separates.
 * A user's keyring (KEY_SPEC_USER_KEYRING) belongs to the uid in its user
 * namespace: a root guest, which has no user namespace, shares root's user
 * keyring with the host. The driver plants a key holding the secret there
 * natively (`keyring TOKEN plant DESC`); the attack searches the user
 * keyring for it (KEYCTL_SEARCH) and reads it (KEYCTL_READ), and also asks
 * for it with request_key.
 *
 * Stops it: layer 3, add_key, keyctl and request_key get EPERM. For a
 * user's guest the user namespace gives a keyring of its own as well.
 * Natively: the key is found and read (ESCAPED).
 *
 * Usage: keyring TOKEN plant DESC    (host side: add the key; prints its id)
 *        keyring TOKEN read DESC     (the attack)
 *        keyring TOKEN remove DESC   (host side: unlink it again)
 */
#include <linux/keyctl.h>
#include <sys/syscall.h>

#include "escape.h"

#define KEY_POS_ALL 0x3f000000
#define KEY_USR_ALL 0x003f0000

static long find(const char *desc)
{
	return syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, "user", desc, 0);
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "keyring", 2, "plant|read|remove DESC");
	const char *mode = argv[2], *desc = argv[3];
	if (strcmp(mode, "plant") == 0) {
		char payload[256];
		int n = snprintf(payload, sizeof(payload), "%s in the user keyring", escape_token);
		long id =
		    syscall(SYS_add_key, "user", desc, payload, (size_t)n, KEY_SPEC_USER_KEYRING);
		if (id < 0)
			setup_failed("add_key: %s", strerror(errno));
		if (syscall(SYS_keyctl, KEYCTL_SETPERM, id, KEY_POS_ALL | KEY_USR_ALL) < 0)
			setup_failed("keyctl(SETPERM): %s", strerror(errno));
		printf("%ld\n", id);
		return 0;
	}
	if (strcmp(mode, "remove") == 0) {
		long id = find(desc);
		if (id >= 0 && syscall(SYS_keyctl, KEYCTL_UNLINK, id, KEY_SPEC_USER_KEYRING) < 0)
			setup_failed("keyctl(UNLINK): %s", strerror(errno));
		return 0;
	}
	if (strcmp(mode, "read") != 0)
		setup_failed("unknown mode %s", mode);
	char buf[512];
	long id = find(desc);
	if (id < 0) {
		escape_note("KEYCTL_SEARCH: %s", strerror(errno));
	} else {
		long n = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof(buf) - 1);
		if (n < 0) {
			escape_note("KEYCTL_READ: %s", strerror(errno));
		} else {
			buf[n < (long)sizeof(buf) ? n : (long)sizeof(buf) - 1] = '\0';
			if (strstr(buf, escape_token))
				escaped("KEYCTL_READ of key %ld: read \"%s\"", id, buf);
			escape_note("KEYCTL_READ: no secret");
		}
	}
	id = syscall(SYS_request_key, "user", desc, NULL, KEY_SPEC_PROCESS_KEYRING);
	if (id < 0) {
		escape_note("request_key: %s", strerror(errno));
	} else {
		long n = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n < (long)sizeof(buf) ? n : (long)sizeof(buf) - 1] = '\0';
			if (strstr(buf, escape_token))
				escaped("request_key + KEYCTL_READ: read \"%s\"", buf);
		}
		escape_note("request_key: found, no secret");
	}
	contained();
}
