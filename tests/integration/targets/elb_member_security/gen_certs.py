"""Write a throw-away CA, a server certificate for 127.0.0.1 (IP SAN) signed by it, and an unrelated CA.

Usage: python gen_certs.py DIR  ->  DIR/ca.pem, DIR/server.pem, DIR/server.key, DIR/other-ca.pem
"""

import datetime
import ipaddress
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "lbaas.elb tests"), x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(common_name, now):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_server(ca_key, ca_cert, now):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def _write(path, data):
    with open(path, "wb") as handle:
        handle.write(data)


def main(directory):
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, ca_cert = make_ca("lbaas.elb test CA", now)
    server_key, server_cert = make_server(ca_key, ca_cert, now)
    other_ca = make_ca("lbaas.elb unrelated CA", now)[1]
    pem = serialization.Encoding.PEM
    _write(os.path.join(directory, "ca.pem"), ca_cert.public_bytes(pem))
    _write(os.path.join(directory, "other-ca.pem"), other_ca.public_bytes(pem))
    _write(os.path.join(directory, "server.pem"), server_cert.public_bytes(pem))
    _write(
        os.path.join(directory, "server.key"),
        server_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
