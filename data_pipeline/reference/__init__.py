"""Published DfE and Ofsted figures for every council: recognised, read and loaded (docs/data-contract.md)."""
