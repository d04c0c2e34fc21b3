# Authentication suite (issue 14, item 1): the kernel against a real MIT Kerberos KDC and Apache
# httpd (SPNEGO, Basic, TLS with a private CA) in front of the dev Livy server. Included by the
# top-level Makefile before its rules; extends its variables.
#
#   make test-auth    integration/auth/ (~1 min: two Spark sessions, everything else stops at httpd)
#
# The suite starts and stops its own KDC and httpd on free loopback ports in a temp dir; it never
# reads or changes /etc/krb5.conf or /etc/apache2, and starts no system service.

AUTH_DEB_PACKAGES := krb5-kdc krb5-admin-server krb5-user apache2 apache2-utils libapache2-mod-auth-gssapi openssl
# Per-test limit (pytest-timeout): a hung test fails, and its fixtures still stop what it started.
AUTH_TEST_TIMEOUT ?= 300
TEST_SUITES += test-auth

.PHONY: test-auth auth-deps

# Debian packages, installed only when one is missing (as the top-level `deps` does). Their
# postinst scripts try to start apache2, krb5kdc and kadmind; where policy-rc.d denies it (containers)
# nothing runs, elsewhere the system services start and this suite does not use them.
auth-deps:
	@missing=$$(for p in $(AUTH_DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

test-auth: auth-deps venv build
	LIVY_KERNEL_BIN=$(KERNEL_BIN) SPARK_LOCAL_IP=127.0.0.1 $(VENV_PY) -m pytest -q -rxX \
		--timeout $(AUTH_TEST_TIMEOUT) integration/auth
