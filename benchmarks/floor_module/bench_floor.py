# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The floor of the speed benchmark: a module that does nothing but import ``requests`` and exit.

benchmarks/bench.py runs it with ``ANSIBLE_LIBRARY`` pointing at this folder. The time of one task of
this module is the least any requests-based module can cost: Ansible's own start-up, templating,
AnsiballZ packing, a new Python process, the import of ``requests``, argument parsing and the JSON
answer. lbaas.elb.elb_member's no-op task is measured against it.
"""

from ansible.module_utils.basic import AnsibleModule

try:
    import requests

    REQUESTS_ERROR = None
except ImportError as error:  # pragma: no cover - the bench installs requests next to the module's Python
    requests = None
    REQUESTS_ERROR = error


def main():
    module = AnsibleModule(argument_spec={}, supports_check_mode=True)
    if requests is None:
        module.fail_json(msg=f"the floor module needs requests: {REQUESTS_ERROR}")
    module.exit_json(changed=False, requests_version=requests.__version__)


if __name__ == "__main__":
    main()
