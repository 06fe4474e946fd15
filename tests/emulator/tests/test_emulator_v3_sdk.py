"""The dedicated flavor checked with a real client: Huawei Cloud's ``huaweicloudsdkelb`` (v3), AK/SK and token.

The SDK signs with AK/SK by itself; for a token, its credentials are told to send ``X-Auth-Token``
instead of a signature (the SDK has no token credentials of its own).
"""

import pytest

from elb_emulator.config import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, PROJECT_ID, SUBNET_A1
from elb_emulator.v3_resources import DEMO_V3_POOL_ID

# Imports below this line need the SDK; importorskip names the reason when it is not installed.
pytest.importorskip("huaweicloudsdkelb", reason="huaweicloudsdkelb is a development dependency (requirements-dev.txt)")
# pylint: disable=wrong-import-position
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.signer.signer import Signer
from huaweicloudsdkelb.v3 import (
    BatchCreateMembersOption,
    BatchCreateMembersRequest,
    BatchCreateMembersRequestBody,
    CreateMemberOption,
    CreateMemberRequest,
    CreateMemberRequestBody,
    DeleteMemberRequest,
    ElbClient,
    ListMembersRequest,
    UpdateMemberOption,
    UpdateMemberRequest,
    UpdateMemberRequestBody,
)


def token_credentials(token, project_id):
    """BasicCredentials that send X-Auth-Token (and X-Project-Id) instead of signing.

    The client builder accepts only the class BasicCredentials itself, so the instance's methods are
    replaced instead of subclassing; without AK/SK, the original would also ask the ECS metadata service.
    """
    credentials = BasicCredentials(project_id=project_id)

    def sign_request(request):
        request.header_params["X-Project-Id"] = project_id
        request.header_params["X-Auth-Token"] = token
        Signer.process_request_uri(request)
        return request

    credentials.sign_request = sign_request
    credentials.process_auth_request = lambda request, http_client: http_client.executor.submit(sign_request, request)
    return credentials


@pytest.fixture(name="client", params=["aksk", "token"])
def fixture_client(request, api):
    api.config(flavor="dedicated", health_delay=0)
    if request.param == "aksk":
        credentials = BasicCredentials(DEMO_ACCESS_KEY, DEMO_SECRET_KEY, PROJECT_ID)
    else:
        credentials = token_credentials(api.token, PROJECT_ID)
    config = HttpConfig.get_default_config()
    config.timeout = (5, 10)
    config.retry_times = 0
    return ElbClient.new_builder().with_http_config(config).with_credentials(credentials).with_endpoints([api.base]).build()


def test_member_crud_with_the_sdk(client, api):
    option = CreateMemberOption(address="192.168.0.20", protocol_port=8080, subnet_cidr_id=SUBNET_A1, name="sdk-1", weight=3)
    created = client.create_member(CreateMemberRequest(pool_id=DEMO_V3_POOL_ID, body=CreateMemberRequestBody(member=option)))
    member = created.member
    assert (member.address, member.protocol_port, member.weight, member.name, member.member_type) == ("192.168.0.20", 8080, 3, "sdk-1", "instance")
    assert member.operating_status == "ONLINE" and len(member.status) == 2 and created.request_id

    listed = client.list_members(ListMembersRequest(pool_id=DEMO_V3_POOL_ID, address=["192.168.0.20", "192.168.0.99"], protocol_port=[8080], limit=10))
    assert [item.id for item in listed.members] == [member.id] and listed.page_info.current_count == 1

    body = UpdateMemberRequestBody(member=UpdateMemberOption(name="sdk-1b", weight=0))
    updated = client.update_member(UpdateMemberRequest(pool_id=DEMO_V3_POOL_ID, member_id=member.id, body=body))
    assert (updated.member.name, updated.member.weight) == ("sdk-1b", 0)

    client.delete_member(DeleteMemberRequest(pool_id=DEMO_V3_POOL_ID, member_id=member.id))
    with pytest.raises(ClientRequestException) as raised:
        client.delete_member(DeleteMemberRequest(pool_id=DEMO_V3_POOL_ID, member_id=member.id))
    assert (raised.value.status_code, raised.value.error_code) == (404, "ELB.8904")
    routes = api.counts()["routes"]
    assert routes["POST /v3/{project_id}/elb/pools/{pool_id}/members"] == 1
    assert routes["DELETE /v3/{project_id}/elb/pools/{pool_id}/members/{member_id}"] == 2


def test_a_bad_token_is_refused(api):
    api.config(flavor="dedicated")
    client = ElbClient.new_builder().with_credentials(token_credentials("not-a-token", PROJECT_ID)).with_endpoints([api.base]).build()
    with pytest.raises(ClientRequestException) as raised:
        client.list_members(ListMembersRequest(pool_id=DEMO_V3_POOL_ID))
    assert (raised.value.status_code, raised.value.error_code) == (401, "APIGW.0301")


def test_errors_reach_the_sdk(client):
    option = CreateMemberOption(address="2001:db8::20", protocol_port=80)
    with pytest.raises(ClientRequestException) as raised:
        client.create_member(CreateMemberRequest(pool_id=DEMO_V3_POOL_ID, body=CreateMemberRequestBody(member=option)))
    assert (raised.value.status_code, raised.value.error_code) == (400, "ELB.8933")
    assert raised.value.request_id and "IPv6" in raised.value.error_msg


def test_batch_create_and_paging_with_the_sdk(client, api):
    api.seed(5, pool_id=DEMO_V3_POOL_ID, start="10.30.0.1")
    options = [BatchCreateMembersOption(address="10.30.0.1", protocol_port=80), BatchCreateMembersOption(address="10.40.0.1", protocol_port=80, weight=2)]
    answer = client.batch_create_members(BatchCreateMembersRequest(pool_id=DEMO_V3_POOL_ID, body=BatchCreateMembersRequestBody(members=options)))
    assert [(item.address, item.ret_status) for item in answer.members] == [("10.30.0.1", "existed"), ("10.40.0.1", "successful")]
    seen = []
    marker = None
    while True:
        page = client.list_members(ListMembersRequest(pool_id=DEMO_V3_POOL_ID, limit=2, marker=marker))
        seen.extend(item.id for item in page.members)
        marker = page.page_info.next_marker
        if not marker:
            break
    assert len(seen) == len(set(seen)) == 6
