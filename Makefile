# Developer entry points.  Both targets work on a fresh Debian machine as
# root: they install missing Debian packages with apt-get and keep Python
# packages in a virtualenv (.venv), never in the system Python.

PYTHON ?= python3
VENV ?= .venv
VPY = $(VENV)/bin/python
# The released pyghmi, in a virtualenv of its own (never imported into
# ours): its BMC is an interop peer of the tests.
ORIG_VENV ?= .venv-pyghmi-1.6.19
ORIG_PY = $(ORIG_VENV)/bin/python
APT_PACKAGES = ipmitool freeipmi-tools openipmi
# To build libvirt-python (virshbmc, virtualbmc) and to serve libvirt's
# test driver from a private libvirtd in the tests.
VIRT_BUILD_PACKAGES = libvirt-dev pkg-config gcc python3-dev \
	libvirt-daemon libvirt-clients
# The newest release that builds against Debian 12's libvirt 9.0.
LIBVIRT_PYTHON = libvirt-python==12.8.0
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: venv test-python test-deps ecosystem-deps static lint docs test \
	test-fast demo bench-deps bench compat clean

$(VPY):
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip setuptools wheel 'pbr>=2.0.0'

venv: $(VPY)
	$(VPY) -m pip install -q -r requirements.txt
	$(VPY) -m pip install -q -e . --no-build-isolation

# The Python packages of the tests only (no peers, no Debian packages).
test-python: venv
	$(VPY) -m pip install -q -r test-requirements.txt

# python3-packaging: rpm's Python dependency generator (pythondistdeps.py,
# run while building the RPM) needs it, as on every CentOS build host.
test-deps: test-python
	@missing=""; \
	command -v ipmitool >/dev/null || missing="$$missing ipmitool"; \
	command -v ipmipower >/dev/null || missing="$$missing freeipmi-tools"; \
	command -v ipmi_sim >/dev/null || missing="$$missing openipmi"; \
	command -v snmptrapd >/dev/null || missing="$$missing snmptrapd"; \
	command -v rpmbuild >/dev/null || missing="$$missing rpm"; \
	dpkg -s python3-packaging >/dev/null 2>&1 || \
	  missing="$$missing python3-packaging"; \
	command -v git >/dev/null || missing="$$missing git"; \
	for pkg in $(VIRT_BUILD_PACKAGES); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	$(VPY) -m pip install -q '$(LIBVIRT_PYTHON)'
	@test -x $(ORIG_VENV)/bin/fakebmc || { $(PYTHON) -m venv $(ORIG_VENV) \
	  && $(ORIG_PY) -m pip install -q pyghmi==1.6.19; }
	@test -x $(ORIG_VENV)/bin/vbmcd || \
	  $(ORIG_PY) -m pip install -q virtualbmc 'pyghmi==1.6.19' \
	    '$(LIBVIRT_PYTHON)'

# virtualbmc (latest release) unchanged on this package, with the unit
# tests of its sdist: the ecosystem tests of the suite use it.
VBMC_VENV ?= .venv-vbmc
VBMC_PY = $(VBMC_VENV)/bin/python

ecosystem-deps: test-deps
	@test -x $(VBMC_VENV)/bin/vbmcd || { $(PYTHON) -m venv $(VBMC_VENV) \
	  && $(VBMC_PY) -m pip install -q --upgrade pip setuptools wheel \
	  && $(VBMC_PY) -m pip install -q -e . virtualbmc '$(LIBVIRT_PYTHON)' \
	    oslotest testscenarios stestr; }
	@test -d $(VBMC_VENV)/src || { mkdir -p $(VBMC_VENV)/src.new \
	  && version=$$($(VBMC_PY) -c 'from importlib import metadata; \
	    print(metadata.version("virtualbmc"))') \
	  && $(VBMC_PY) -m pip download -q --no-deps --no-binary :all: \
	    -d $(VBMC_VENV)/src.new "virtualbmc==$$version" \
	  && tar -C $(VBMC_VENV)/src.new -xzf $(VBMC_VENV)/src.new/*.tar.gz \
	  && mv $(VBMC_VENV)/src.new $(VBMC_VENV)/src; }

LINT_PATHS = pyghmi bench scripts bin/fakebmc bin/pyghmiutil bin/pyghmicons \
	bin/virshbmc setup.py doc/examples doc/source

# Lint and types: needs only the tests' Python packages.
static: test-python
	$(VPY) -m pyflakes $(LINT_PATHS)
	$(VPY) -m pycodestyle $(LINT_PATHS)
	$(VPY) -m mypy pyghmi

lint: ecosystem-deps static

# The documentation, warnings as errors (also "tox -e docs").
docs: test-python
	$(VENV)/bin/sphinx-build -q -W --keep-going -b html doc/source doc/build/html

# Test files run in parallel, each whole in one worker (its module
# fixtures, peers on their own free ports); most of the time is spent
# waiting for peers and time-outs, so more workers than cores pay.
PYTEST_WORKERS ?= 6

test: lint docs
	$(VPY) -m pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) \
	  --dist loadfile pyghmi/tests

# Lint, types and the unit tests: no peers, well under a minute.
test-fast: static
	$(VPY) -m pytest -q -p no:cacheprovider -n 2 pyghmi/tests/unit

demo: venv
	$(VPY) scripts/demo.py

# python-ipmi, a peer of the benchmarks only, in a virtualenv of its own.
PYIPMI_VENV ?= .venv-python-ipmi
PYIPMI_PY = $(PYIPMI_VENV)/bin/python

# sushy-tools' Redfish emulator, the peer of bench/redfish_bench.py.
SUSHY_VENV ?= .venv-sushy

bench-deps: test-deps
	@test -x $(PYIPMI_PY) || { $(PYTHON) -m venv $(PYIPMI_VENV) \
	  && $(PYIPMI_PY) -m pip install -q 'python-ipmi==0.6.1' cryptography; }
	@test -x $(SUSHY_VENV)/bin/sushy-emulator || { $(PYTHON) -m venv \
	  $(SUSHY_VENV) && $(SUSHY_VENV)/bin/pip install -q sushy-tools; }

bench: bench-deps
	$(VPY) bench/floor_bench.py
	$(VPY) bench/session_bench.py
	$(VPY) bench/request_path_bench.py
	$(VPY) bench/fleet_bench.py --count 1000 --ipmipower --compare $(ORIG_PY) \
	  --python-ipmi $(PYIPMI_PY)
	$(VPY) bench/sensor_bench.py --compare $(ORIG_PY)
	$(VPY) bench/console_bench.py
	$(VPY) bench/latency_bench.py
	$(VPY) bench/redfish_bench.py
	$(VPY) bench/redfish_client_bench.py --compare $(ORIG_PY)

clean:
	rm -rf $(VENV) $(ORIG_VENV) $(VBMC_VENV) $(PYIPMI_VENV) $(SUSHY_VENV) \
	  build dist \
	  *.egg-info

# Result shapes of this package beside pyghmi 1.6.19 (its own virtualenv).
compat: test-deps
	$(VPY) scripts/compare_shapes.py
	$(VPY) scripts/compare_shapes.py --profile \
	  pyghmi/fakebmc/lenovo_tsm_profile.json
	$(VPY) scripts/compare_shapes.py --profile \
	  pyghmi/fakebmc/lenovo_fpc_profile.json
	$(VPY) scripts/compare_redfish_shapes.py --compare $(ORIG_PY)
