# make awx-runner - only the integration target that runs the collection the way AWX does (ansible-runner
# jobs, project sync from git, a sliced job); `make integration` runs it with the others.
.PHONY: awx-runner

awx-runner: ansible-test-bootstrap stage
	$(ANSIBLE_TEST) integration --python 3.11 --color no awx_runner
