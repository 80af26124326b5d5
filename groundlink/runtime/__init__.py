"""What runs the contact processor in the cloud: one contact event in, the contact's raw files
fetched, `groundlink.processing` run on them, the products written to the products store.

`delivery` holds the cloud-neutral part (where a contact's files are, fetching and uploading
through a small store interface) and is tested offline; `aws_lambda` and `azure_functions`
bind it to each cloud's SDK, which only the function's runtime has installed.
"""
