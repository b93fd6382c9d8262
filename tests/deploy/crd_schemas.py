"""Structural JSON Schemas of the custom resources Chancery's manifests use, written from the operators'
API references: only the fields we use, every object closed, so that a misspelt or misplaced field
fails here instead of being silently dropped by the operator.

RabbitMQ cluster operator and messaging topology operator (rabbitmq.com/v1beta1), CloudNativePG
(postgresql.cnpg.io/v1), Prometheus operator (monitoring.coreos.com/v1).
"""

from __future__ import annotations

STRING = {"type": "string", "minLength": 1}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
QUANTITY = {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti)?$"}
STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
ANY_OBJECT = {"type": "object"}  # core types (affinity, ...) the Kubernetes schemas describe


def closed(required: tuple[str, ...] = (), **properties) -> dict:
    return {"type": "object", "required": list(required), "properties": properties, "additionalProperties": False}


def array_of(item: dict) -> dict:
    return {"type": "array", "items": item, "minItems": 1}


METADATA = closed(("name",), name=STRING, namespace=STRING, labels=STRING_MAP, annotations=STRING_MAP)
RESOURCES = closed(requests=closed(cpu=QUANTITY, memory=QUANTITY), limits=closed(cpu=QUANTITY, memory=QUANTITY))
SECRET_KEY = closed(("name", "key"), name=STRING, key=STRING)
CLUSTER_REFERENCE = closed(("name",), name=STRING, namespace=STRING)
LOCAL_REFERENCE = closed(("name",), name=STRING)
VHOST = {"const": "/"}


def resource(api_version: str, kind: str, spec: dict) -> dict:
    return closed(("apiVersion", "kind", "metadata", "spec"), apiVersion={"const": api_version},
                  kind={"const": kind}, metadata=METADATA, spec=spec)


RABBITMQ_CLUSTER = resource("rabbitmq.com/v1beta1", "RabbitmqCluster", closed(
    ("replicas",),
    replicas={"type": "integer", "enum": [1, 3, 5]},  # quorum queues want an odd number of nodes
    image=STRING,
    resources=RESOURCES,
    persistence=closed(storage=QUANTITY, storageClassName=STRING),
    rabbitmq=closed(additionalPlugins=array_of(STRING), additionalConfig=STRING, advancedConfig=STRING,
                    envConfig=STRING),
    affinity=ANY_OBJECT,
    tolerations={"type": "array"},
    service=closed(type={"enum": ["ClusterIP", "LoadBalancer", "NodePort"]}, annotations=STRING_MAP),
    terminationGracePeriodSeconds=INTEGER,
))

EXCHANGE = resource("rabbitmq.com/v1beta1", "Exchange", closed(
    ("name", "rabbitmqClusterReference"),
    name=STRING, vhost=VHOST, type={"enum": ["direct", "fanout", "headers", "topic"]}, durable=BOOLEAN,
    autoDelete=BOOLEAN, arguments=ANY_OBJECT, rabbitmqClusterReference=CLUSTER_REFERENCE,
))

POLICY = resource("rabbitmq.com/v1beta1", "Policy", closed(
    ("name", "pattern", "definition", "rabbitmqClusterReference"),
    name=STRING, vhost=VHOST, pattern=STRING,
    applyTo={"enum": ["queues", "classic_queues", "quorum_queues", "streams", "exchanges", "all"]},
    priority=INTEGER, definition={"type": "object", "minProperties": 1},
    rabbitmqClusterReference=CLUSTER_REFERENCE,
))

USER = resource("rabbitmq.com/v1beta1", "User", closed(
    ("rabbitmqClusterReference",),
    tags={"type": "array", "items": {"enum": ["management", "policymaker", "monitoring", "administrator"]}},
    importCredentialsSecret=LOCAL_REFERENCE, rabbitmqClusterReference=CLUSTER_REFERENCE,
))

PERMISSION = resource("rabbitmq.com/v1beta1", "Permission", closed(
    ("vhost", "permissions", "rabbitmqClusterReference"),
    vhost=VHOST, user=STRING, userReference=LOCAL_REFERENCE,
    permissions=closed(("configure", "write", "read"), configure={"type": "string"}, write={"type": "string"},
                       read={"type": "string"}),
    rabbitmqClusterReference=CLUSTER_REFERENCE,
))

TOPIC_PERMISSION = resource("rabbitmq.com/v1beta1", "TopicPermission", closed(
    ("vhost", "permissions", "rabbitmqClusterReference"),
    vhost=VHOST, user=STRING, userReference=LOCAL_REFERENCE,
    permissions=closed(("exchange",), exchange=STRING, write={"type": "string"}, read={"type": "string"}),
    rabbitmqClusterReference=CLUSTER_REFERENCE,
))

POSTGRES_CLUSTER = resource("postgresql.cnpg.io/v1", "Cluster", closed(
    ("instances", "storage", "bootstrap"),
    instances={"type": "integer", "minimum": 1},
    imageName=STRING,
    primaryUpdateStrategy={"enum": ["unsupervised", "supervised"]},
    bootstrap=closed(initdb=closed(("database", "owner"), database=STRING, owner=STRING, secret=LOCAL_REFERENCE)),
    storage=closed(("size",), size=QUANTITY, storageClass=STRING),
    postgresql=closed(parameters=STRING_MAP),
    resources=RESOURCES,
    affinity=closed(enablePodAntiAffinity=BOOLEAN, topologyKey=STRING,
                    podAntiAffinityType={"enum": ["preferred", "required"]}),
    monitoring=closed(enablePodMonitor=BOOLEAN),
    backup=closed(
        ("barmanObjectStore",),
        retentionPolicy={"type": "string", "pattern": r"^[1-9][0-9]*[dwm]$"},
        barmanObjectStore=closed(
            ("destinationPath", "s3Credentials"),
            destinationPath={"type": "string", "pattern": "^s3://"},
            s3Credentials=closed(("accessKeyId", "secretAccessKey"), accessKeyId=SECRET_KEY,
                                 secretAccessKey=SECRET_KEY),
            wal=closed(compression={"enum": ["gzip", "bzip2", "snappy"]}),
            data=closed(compression={"enum": ["gzip", "bzip2", "snappy"]}),
        ),
    ),
))

SCHEDULED_BACKUP = resource("postgresql.cnpg.io/v1", "ScheduledBackup", closed(
    ("schedule", "cluster"),
    # CloudNativePG's schedule has six fields, seconds first.
    schedule={"type": "string", "pattern": r"^(\S+\s+){5}\S+$"},
    cluster=LOCAL_REFERENCE,
    backupOwnerReference={"enum": ["none", "self", "cluster"]},
    immediate=BOOLEAN,
))

RELABELING = closed(sourceLabels=array_of(STRING), targetLabel=STRING, regex=STRING, replacement=STRING,
                    action={"enum": ["replace", "keep", "drop", "labelmap", "labeldrop", "labelkeep"]})
SERVICE_MONITOR = resource("monitoring.coreos.com/v1", "ServiceMonitor", closed(
    ("selector", "endpoints"),
    selector=closed(matchLabels=STRING_MAP, matchExpressions={"type": "array"}),
    namespaceSelector=ANY_OBJECT,
    endpoints=array_of(closed(("port",), port=STRING, path=STRING,
                              interval={"type": "string", "pattern": "^[0-9]+[smh]$"},
                              honorLabels=BOOLEAN, relabelings=array_of(RELABELING))),
))

RULE = closed(("alert", "expr", "labels", "annotations"), alert=STRING, expr=STRING,
              **{"for": {"type": "string", "pattern": "^[0-9]+[smh]$"}},
              # The CRD takes any string labels; every Chancery rule has a severity.
              labels={"type": "object", "required": ["severity"], "additionalProperties": STRING,
                      "properties": {"severity": {"enum": ["critical", "warning", "info"]}}},
              annotations=closed(("summary", "description", "runbook_url"), summary=STRING, description=STRING,
                                 runbook_url=STRING))
PROMETHEUS_RULE = resource("monitoring.coreos.com/v1", "PrometheusRule", closed(
    ("groups",), groups=array_of(closed(("name", "rules"), name=STRING, interval=STRING, rules=array_of(RULE))),
))

SCHEMAS = {
    "RabbitmqCluster": RABBITMQ_CLUSTER, "Exchange": EXCHANGE, "Policy": POLICY, "User": USER,
    "Permission": PERMISSION, "TopicPermission": TOPIC_PERMISSION, "Cluster": POSTGRES_CLUSTER,
    "ScheduledBackup": SCHEDULED_BACKUP, "ServiceMonitor": SERVICE_MONITOR, "PrometheusRule": PROMETHEUS_RULE,
}
