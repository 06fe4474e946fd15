"""ELB v2.0 + IAM emulator for the lbaas.elb collection's tests, demos and benchmarks."""

__version__ = "1.0.0"
