# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Module parameters as ElbModule hands them to settings.py, and the settings resolved from them."""

from __future__ import annotations

from ansible_collections.lbaas.elb.plugins.module_utils.settings import merge_layers, settings_layers


def module_params(auth=None, **top):
    params = {
        "cloud": None,
        "endpoint": None,
        "auth_type": None,
        "region_name": None,
        "interface": None,
        "validate_certs": None,
        "ca_cert": None,
        "api_timeout": None,
        "auth": auth,
    }
    params.update(top)
    return params


def resolve_settings(params, environ, cwd=None, home=None):
    """What ElbModule.settings does before check_settings: the layers, merged."""
    return merge_layers(settings_layers(params, environ, cwd, home))
